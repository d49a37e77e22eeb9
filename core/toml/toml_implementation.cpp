/// TOML v1.0.0 (https://toml.io/en/v1.0.0): the toml++ parser, compiled once for both programs.
/// Everything else includes <toml++/toml.h> with TOML_HEADER_ONLY=0 (set by the airlock_toml
/// target) and links this object.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>

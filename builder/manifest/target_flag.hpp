#pragma once
/// `--add-target NAME:PLATFORM:PYTHON[:CUDA]`: a [[target]] given on the command line, e.g.
/// `linux-py312:manylinux_2_28_x86_64:3.12:12.4`.

#include "builder/manifest/manifest.hpp"

#include <string_view>

namespace airlock::manifest {

/// Parses and validates one `--add-target` value. Throws Error (Exit::usage) naming the part
/// that is wrong and showing the form.
TargetSpec parse_target_flag(std::string_view value);

/// The target as a manifest [[target]] table (TOML text, ending with a blank line).
std::string target_toml(const TargetSpec& target);

}  // namespace airlock::manifest

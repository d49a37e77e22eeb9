#pragma once
/// The glob patterns of conda specs (`py312*`, `*cuda*`, `1.*.3`): `*` matches any run of
/// characters, every other character only itself.

#include <string_view>

namespace airlock::conda {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace airlock::conda

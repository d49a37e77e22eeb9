#pragma once
/// ASCII case folding for protocol text (HTTP header names, hash algorithms, hex digests,
/// platform names); locale-independent.

#include <string>
#include <string_view>

namespace airlock {

std::string ascii_lower(std::string_view text);

}  // namespace airlock

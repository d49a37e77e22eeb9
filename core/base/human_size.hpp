#pragma once
/// Byte counts for people: "512 B", "1.5 KiB", "2.3 GiB" (binary units, one decimal).

#include <cstdint>
#include <string>

namespace airlock {

std::string human_size(std::uint64_t bytes);

}  // namespace airlock

#pragma once
/// Byte counts for people: "512 B", "1.5 KiB", "2.3 GiB" (binary units, one decimal).

#include <cstdint>
#include <string>

namespace airlock {

std::string human_size(std::uint64_t bytes);

/// For sizes that must be told apart (a mismatch): "33.1 MiB (34734080 bytes)"; "512 B" below
/// 1 KiB.
std::string exact_size(std::uint64_t bytes);

}  // namespace airlock

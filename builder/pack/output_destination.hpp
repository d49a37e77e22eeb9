#pragma once
/// Where `build -o` writes the bundle, checked before anything is downloaded: a missing
/// directory, a read-only one or a full disk should fail in the first second, not after an
/// hour of downloading.

#include "core/base/created_parents.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>

namespace airlock::pack {

/// Checks that the bundle (or its parts) can be written at `output`: `output` is not a
/// directory, its directory exists or is created now (removed again by the returned guard unless
/// committed), and a probe file can be created and removed there. Throws Error with what to do.
std::unique_ptr<CreatedParents> prepare_output(const std::filesystem::path& output);

/// Throws Error when the filesystem of `output`'s directory has less than `needed` bytes free
/// (a bundle holds every file once, plus a little).
void check_free_space(const std::filesystem::path& output, std::uint64_t needed);

}  // namespace airlock::pack

#pragma once
/// Temporary files written beside their destination (`.<name>.tmp-XXXXXX`, renamed into place
/// when whole) that survive a `kill -9`: each writer holds an exclusive flock(2) on its
/// temporary, so a later writer can tell a live one from a stale one and remove the latter.

#include <cstddef>
#include <filesystem>

namespace airlock {

/// Creates `.<name>.tmp-XXXXXX` beside `destination` (mode 0600, close-on-exec), locked as
/// live; fills `path` and returns the descriptor, or -1 with errno set.
int create_locked_temp(const std::filesystem::path& destination, std::filesystem::path& path);

/// Removes the `.<name>.tmp-XXXXXX` files beside `destination` that no process holds (their
/// writer died): regular files of this user only. Returns how many were removed. Never throws.
std::size_t remove_stale_temps(const std::filesystem::path& destination);

}  // namespace airlock

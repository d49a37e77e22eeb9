#pragma once
/// Writing a file whole or not at all: the text goes to a temporary beside the destination,
/// and is renamed over it (STYLE.md §8): readers see the old file or the whole new one.

#include <filesystem>
#include <string_view>

namespace airlock::lock {

/// Writes `content` to `path` atomically (temp file + rename in the same directory); a file
/// that already holds exactly `content` is left untouched.
/// Throws Error naming the path and the system's reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace airlock::lock

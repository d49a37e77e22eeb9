#pragma once
/// Lock files are rewritten only when their bytes change, and then atomically (STYLE.md §8).

#include <filesystem>
#include <string_view>

namespace airlock::lock {

/// Writes `content` to `path` atomically; a file that already holds exactly `content` is left
/// untouched (a repeated `lock` keeps mtimes). Throws Error naming the path and the reason.
void write_if_changed(const std::filesystem::path& path, std::string_view content);

}  // namespace airlock::lock

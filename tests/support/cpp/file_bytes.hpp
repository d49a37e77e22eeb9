#pragma once
/// Whole-file reads and writes for tests (bytes as they are: no newline translation).

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::test_support {

/// The file's bytes; throws std::runtime_error naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// Replaces the file's contents with `bytes` (creating the file, not its directory); throws
/// std::runtime_error naming the file when it cannot be written.
void write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace airlock::test_support

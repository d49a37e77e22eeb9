#pragma once
/// Reading a whole (small) file: manifests, keys, lock files, state files.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace airlock {

/// The file's bytes, or nullopt when it cannot be opened (errno says why).
std::optional<std::string> try_read_file(const std::filesystem::path& path);

/// The file's bytes; otherwise an Error "cannot read <what> 'PATH': <reason>" with `hint`.
std::string read_file(const std::filesystem::path& path, std::string_view what,
                      std::string_view hint = {});

}  // namespace airlock

#pragma once
/// A conda package's file list: `info/paths.json` (paths_version 1: `_path`, `path_type`,
/// `sha256`, `size_in_bytes`, `prefix_placeholder`, `file_mode`, `no_link`), or for old packages
/// `info/files` with `info/has_prefix` and `info/no_link`
/// (https://docs.conda.io/projects/conda-build/en/latest/resources/package-spec.html).
///
/// Parsing is the trust boundary: every path is a safe relative path (the bundle reader's rule:
/// no absolute path, no `..`, no empty component, no backslash or control character), every
/// digest is 64 hex digits, every placeholder is non-empty text without NUL or newline.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

/// conda-build's default prefix placeholder.
inline constexpr std::string_view default_placeholder = "/opt/anaconda1anaconda2anaconda3";

enum class PathType : std::uint8_t { hardlink, softlink, directory };
enum class FileMode : std::uint8_t { text, binary };

std::string_view to_string(PathType type);
std::string_view to_string(FileMode mode);

struct PathsEntry {
    std::string path;                    ///< relative to the prefix, `/`-separated
    PathType type = PathType::hardlink;  ///< hardlink: a regular file
    std::optional<std::string> sha256;   ///< lowercase hex, of the file in the package
    std::optional<std::uint64_t> size;
    std::optional<std::string> prefix_placeholder;  ///< the file carries the build prefix
    FileMode file_mode = FileMode::text;            ///< how to replace the placeholder
    bool no_link = false;
};

struct PathsJson {
    std::vector<PathsEntry> entries;  ///< sorted by path, no duplicates
    /// Built from `info/files`: path types are not known (regular files unless the archive holds
    /// a symlink there) and nothing can be checked against a digest.
    bool legacy = false;

    /// Parses `info/paths.json`. Throws Error naming the entry and what is wrong.
    static PathsJson parse(std::string_view json);
    /// Builds the list from `info/files`, `info/has_prefix` (lines `placeholder mode path`, or a
    /// bare `path` meaning the default placeholder in text mode; `"`-quoted when they hold
    /// spaces) and `info/no_link` (one path a line); the last two may be empty.
    static PathsJson from_legacy(std::string_view files, std::string_view has_prefix,
                                 std::string_view no_link);

    const PathsEntry* find(std::string_view path) const;
};

}  // namespace airlock::conda

#pragma once
/// pip's and uv's `--find-links`: a flat folder of distributions, or an HTML page whose links are
/// the files themselves (any `<a href>`, as a PEP 503 page; nginx's autoindex is one). A project's
/// candidates are the listed files that are its wheels or sdists, the same DistFile values a
/// simple repository page gives.

#include "builder/index/project_page.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::index {

/// The local path a file:// URL names (percent-decoded); nullopt for other schemes.
std::optional<std::filesystem::path> local_path(std::string_view file_url);

/// Every wheel and sdist directly in `folder` (not recursive; hidden files skipped), sorted by
/// name, with file:// URLs and sizes. Hashes are not computed here (see project_files).
std::vector<DistFile> list_folder(const std::filesystem::path& folder);

/// Whether `filename` is a wheel or sdist of the project `normalized` (PEP 503 form).
bool is_distribution_of(std::string_view filename, std::string_view normalized);

/// The files of `listing` that belong to `normalized`; a local file without a sha256 gets one
/// computed from its bytes (streamed), so the lock can pin it.
std::vector<DistFile> project_files(const std::vector<DistFile>& listing,
                                    std::string_view normalized);

}  // namespace airlock::index

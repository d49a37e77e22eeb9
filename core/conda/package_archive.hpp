#pragma once
/// Extracts a conda package file — `.tar.bz2` (v1: a bzip2 tar) or `.conda` (v2: a zip holding
/// `info-*.tar.zst` and `pkg-*.tar.zst`, whose inner tars are streamed out of the zip, never
/// written to disk) — into a directory, with the bundle reader's safety rules: no absolute path,
/// no `..`, no path through a symlink, no symlink leaving the package, no hardlink outside it,
/// no device, fifo or sparse file. Every file is hashed while it is written and checked against
/// `info/paths.json` (sha256, size, type) once that is known; a package whose files and list
/// disagree is refused.

#include "core/conda/index_json.hpp"
#include "core/conda/link_json.hpp"
#include "core/conda/paths_json.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace airlock::conda {

struct ExtractedPackage {
    std::filesystem::path dir;  ///< `info/` and the payload, as the package holds them
    std::string filename;       ///< the package file's name
    IndexJson index;
    PathsJson paths;  ///< checked against what `dir` holds
    std::optional<LinkJson> link;
};

/// Extracts `file` into `dest` (created; it must not exist). Throws Error naming the package
/// and the offending entry; `dest` is then partly written and the caller removes it.
ExtractedPackage extract_package(const std::filesystem::path& file,
                                 const std::filesystem::path& dest);

}  // namespace airlock::conda

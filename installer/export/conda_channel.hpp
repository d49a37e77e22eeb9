#pragma once
/// The conda part of an export: the bundle's `conda/` directory served as a channel
/// (`conda/<subdir>/<package>`, `conda/<subdir>/repodata.json` and its zstd-compressed twin
/// `repodata.json.zst`, which conda ≥ 23.3, mamba and pixi fetch first), each repodata.json
/// checked against the verified package files before it is served.

#include "core/bundle/bundle_manifest.hpp"

#include <cstddef>
#include <filesystem>
#include <string>

namespace airlock::exporter {

/// Checks every `conda/<subdir>/repodata.json` under `root` (the verified, unpacked bundle)
/// against the manifest — each record names a package file of the bundle in that subdir with the
/// same sha256, size and md5, and each package file has a record — and writes
/// `repodata.json.zst` next to each. Returns the number of conda package files (0: no conda
/// part). Throws Error naming the subdir and file.
std::size_t write_conda_channel(const std::filesystem::path& root,
                                const bundle::BundleManifest& manifest);

/// `data` compressed as one zstd frame (libzstd, level 19 as conda-index writes it).
std::string zstd_compress(const std::string& data);

}  // namespace airlock::exporter

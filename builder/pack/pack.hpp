#pragma once
/// The last step of `airlock-build build`: lay the locked, downloaded files out as one signed,
/// reproducible airlock bundle (core/bundle's format 2) with a CycloneDX SBOM: wheels under
/// `wheels/`, conda packages under `conda/<subdir>/` with a `repodata.json` per subdir (and always
/// `conda/noarch/repodata.json`), so that `conda/` is a valid local channel.

#include "core/base/phase_progress.hpp"
#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/secret_key.hpp"
#include "core/bundle/writer.hpp"
#include "core/conda/package_record.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::pack {

struct PackTarget {
    std::string name;
    std::string python;    ///< "3.12"
    std::string platform;  ///< "manylinux_2_28_x86_64"
    std::optional<std::string> cuda;
    std::string requires_python;
    std::string pylock_toml;       ///< with pip: stored as `airlock/pylock.<name>.toml`
    std::string requirements_txt;  ///< with pip: stored as `airlock/requirements.<name>.txt`
    std::vector<bundle::Ecosystem> ecosystems = {bundle::Ecosystem::pip};
    /// With conda: the subdir (`linux-64`), the manifest's specs, and the lock's two files,
    /// stored as `airlock/conda.<name>.txt` (@EXPLICIT) and `airlock/conda.<name>.lock.toml`.
    std::optional<std::string> conda_subdir;
    std::vector<std::string> conda_specs;
    std::string conda_explicit;
    std::string conda_lock_toml;
};

struct PayloadFile {
    std::string name;            ///< file name, stored as `wheels/<name>` (or conda's path)
    std::filesystem::path blob;  ///< where its bytes are (the download cache)
    std::string sha256;          ///< lowercase hex; checked again while the bundle is written
    std::uint64_t size = 0;
    std::vector<std::string> urls;     ///< origins; credentials are stripped before storing
    std::vector<std::string> targets;  ///< the targets that need it (empty: all)
    std::string package;  ///< PEP 503 name; derived from a wheel's file name when empty
    std::string version;  ///< derived from a wheel's file name when empty
    /// A conda package: stored as `conda/<subdir>/<name>` (name == record.fn), listed in that
    /// subdir's `repodata.json` and in the SBOM as `pkg:conda/…`.
    std::optional<conda::PackageRecord> conda;
};

struct PackOptions {
    std::filesystem::path output;  ///< the bundle (or the base name of its parts)
    bundle::Compression compression = bundle::Compression::none;
    int zstd_level = 3;
    int zstd_threads = 2;  ///< pinned so the output does not depend on the machine
    std::optional<std::uint64_t> split_size;
    /// Default: SOURCE_DATE_EPOCH, else the current time. Must grow with every build of a
    /// bundle name (installers refuse a lower one).
    std::optional<std::uint64_t> sequence;
    /// A static airlock-install to put before the bundle: one self-extracting executable.
    std::optional<std::filesystem::path> installer;
    /// The `pack` progress line on stderr (bytes and files written); quiet by default.
    ProgressMode progress = ProgressMode::quiet;
};

struct PackInput {
    std::string name;
    std::string version;
    std::vector<PackTarget> targets;
    /// The same file may be listed once per target: equal names with equal sha256 merge.
    std::vector<PayloadFile> files;
    std::optional<bundle::SecretKey> key;  ///< nullopt: the bundle is marked unsigned
    PackOptions options;
};

struct PackResult {
    std::vector<std::filesystem::path> files;  ///< the bundle or its parts, in order
    bundle::BundleManifest manifest;
    std::uint64_t bytes = 0;
};

/// Writes the bundle (atomically: on error nothing is left). Timestamps come from
/// SOURCE_DATE_EPOCH when set, so the same input gives the same bytes.
PackResult write_bundle(const PackInput& input);

/// "4G" (decimal: 4·10⁹, fits FAT32), "4GiB", "700M", "650MiB", "1024": bytes; nullopt when
/// `text` is not a size.
std::optional<std::uint64_t> try_parse_size(std::string_view text);

}  // namespace airlock::pack

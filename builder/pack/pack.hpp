#pragma once
/// The last step of `airlock-build build`: lay the locked, downloaded files out as one signed,
/// reproducible airlock bundle (core/bundle's format) with a CycloneDX SBOM.

#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/secret_key.hpp"
#include "core/bundle/writer.hpp"

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
    std::string pylock_toml;       ///< stored as `airlock/pylock.<name>.toml`
    std::string requirements_txt;  ///< stored as `airlock/requirements.<name>.txt`
};

struct PayloadFile {
    std::string name;            ///< file name, stored as `wheels/<name>`
    std::filesystem::path blob;  ///< where its bytes are (the download cache)
    std::string sha256;          ///< lowercase hex; checked again while the bundle is written
    std::uint64_t size = 0;
    std::vector<std::string> urls;     ///< origins; credentials are stripped before storing
    std::vector<std::string> targets;  ///< the targets that need it (empty: all)
    std::string package;  ///< PEP 503 name; derived from a wheel's file name when empty
    std::string version;  ///< derived from a wheel's file name when empty
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

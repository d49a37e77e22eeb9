#pragma once
/// Writes an airlock bundle: a reproducible pax tar (optionally zstd, optionally split into
/// parts) holding the manifest, its minisign signature, then every file the manifest lists in a
/// fixed order, streamed from disk. Atomic: the bundle appears whole or not at all.

#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/secret_key.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace airlock::bundle {

enum class Compression { none, zstd };

struct WriteOptions {
    std::filesystem::path output;  ///< the bundle, or the base name of its parts
    Compression compression = Compression::none;
    int zstd_level = 3;
    int zstd_threads = 2;                     ///< pinned: output is the same whatever the machine
    std::optional<std::uint64_t> split_size;  ///< write `output.part000…`, each at most this big
    std::int64_t mtime = 0;                   ///< stamped on every entry (SOURCE_DATE_EPOCH)
    /// A static airlock-install to write before the bundle, making `output` one executable
    /// (core/bundle/self_extracting.hpp). Not with split_size.
    std::optional<std::filesystem::path> installer;
    /// Called as the archive grows: the bytes of entries written so far (before compression)
    /// and the manifest files whose data is complete. For a progress display; may be empty.
    std::function<void(std::uint64_t bytes, std::size_t files)> progress;
};

/// Where one manifest file's bytes come from: a file on disk (streamed) or bytes in memory.
struct EntrySource {
    std::string path;  ///< as listed in the manifest
    std::filesystem::path file;
    std::optional<std::string> bytes;
};

struct WrittenBundle {
    std::vector<std::filesystem::path> files;  ///< the bundle, or its parts in order
    std::string manifest_text;
    std::optional<std::string> signature_text;
    std::uint64_t bytes = 0;  ///< total size written
};

/// The order entries take after the manifest and its signature: `airlock/…`, `sbom.cdx.json`,
/// `wheels/…`, `conda/…`, anything else; by path within each group.
bool bundle_order_less(const std::string& a, const std::string& b);

/// Writes `manifest` (its `signing` set from `key`) and, when `key` is given, its signature,
/// then every file of the manifest from `sources`, checking each one's size and sha256 against
/// the manifest while copying. Throws Error (leaving nothing behind) when a source is missing,
/// differs from the manifest, or cannot be written.
WrittenBundle write_bundle_archive(BundleManifest manifest, const std::vector<EntrySource>& sources,
                                   const SecretKey* key, const WriteOptions& options);

}  // namespace airlock::bundle

#pragma once
/// airlock bundle format 2: `airlock/manifest.toml`, the signed list of everything in a bundle
/// (name, version, anti-rollback sequence, targets, and every file with size, sha256, origins).
/// Format 2 adds conda: each target says which ecosystems it carries (`conda`, `pip`) and, with
/// conda, its subdir and the manifest's conda specs; a conda package's file may carry its md5.
/// Format 1 (read, never written) means every target carries pip only.
/// Parsing it is the one step that turns the manifest's strings into checked values
/// (checked_text.hpp).

#include "core/bundle/checked_text.hpp"
#include "core/bundle/ecosystem.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle {

/// The format written; readers accept oldest_format_version up to it.
inline constexpr int format_version = 2;
inline constexpr int oldest_format_version = 1;
inline constexpr std::string_view manifest_path = "airlock/manifest.toml";
inline constexpr std::string_view signature_path = "airlock/manifest.toml.minisig";
/// The most bytes read for the manifest and its signature, before and whatever they say.
inline constexpr std::uint64_t max_manifest_size = 16ULL << 20;
inline constexpr std::uint64_t max_signature_size = 16ULL << 10;

enum class Signing { signed_, unsigned_ };

struct BundleTarget {
    TargetName name;
    std::string python;               ///< "3.12" (digits and dots)
    std::string platform;             ///< "manylinux_2_28_x86_64", "win_amd64", … (a word)
    std::optional<std::string> cuda;  ///< "12.4" when built for CUDA (digits and dots)
    std::string requires_python;      ///< "==3.12.*" (may be empty; plain text)
    /// Sorted, no duplicates; format 1 bundles carry pip only.
    std::vector<Ecosystem> ecosystems = {Ecosystem::pip};
    /// With conda: the subdir of its packages (`linux-64`), and the manifest's conda specs (for
    /// `conda-meta/history`). Without conda: nullopt and empty.
    std::optional<CondaSubdir> conda_subdir;
    std::vector<CondaSpecText> conda_specs;

    bool carries(Ecosystem ecosystem) const;
};

struct BundleFile {
    BundlePath path;  ///< inside the bundle: `wheels/x.whl`, `airlock/pylock.<t>.toml`, …
    std::uint64_t size = 0;
    std::string sha256;             ///< lowercase hex
    std::vector<std::string> urls;  ///< where it was downloaded from (credential-free; plain text)
    std::vector<TargetName> targets;  ///< the targets that need it (empty: all)
    PackageName package;  ///< PEP 503 name of a wheel, conda name of a conda package (or empty)
    VersionText version;  ///< the package's version, for packages (may be empty)
    std::string md5;      ///< lowercase hex, for conda packages (may be empty)
};

struct BundleManifest {
    int format = format_version;  ///< as read; to_toml() always writes format_version
    BundleName name;
    VersionText version;         ///< never empty once parsed
    std::uint64_t sequence = 0;  ///< grows with every build of `name`: installers refuse older
    std::string created;         ///< RFC 3339 UTC, from SOURCE_DATE_EPOCH when set (plain text)
    std::string builder;         ///< "airlock-build 0.1.0" (plain text)
    Signing signing = Signing::signed_;
    std::vector<BundleTarget> targets;
    std::vector<BundleFile> files;  ///< sorted by path; everything after the manifest and its sig

    /// Deterministic TOML text (files sorted by path, fixed key order).
    std::string to_toml() const;
    /// Parses the text and checks every string against its grammar (`source` names it in
    /// errors, with line and column). Call it only on bytes whose signature was checked, or that
    /// the user accepted unsigned, and never on more than max_manifest_size bytes.
    static BundleManifest parse(std::string_view text, std::string_view source);

    const BundleFile* find(std::string_view path) const;
    const BundleTarget* find_target(std::string_view name) const;
    /// The files a target needs (those listing it, and those listing no target).
    std::vector<const BundleFile*> files_for(std::string_view target) const;
    /// The trusted comment the signature carries: `bundle:<name>\tversion:<v>\tsequence:<n>`.
    std::string trusted_comment() const;
};

/// SOURCE_DATE_EPOCH when set (throws Error when it is not a non-negative integer).
std::optional<std::int64_t> source_date_epoch();
/// `2026-01-31T12:00:00Z`.
std::string rfc3339_utc(std::int64_t epoch_seconds);

}  // namespace airlock::bundle

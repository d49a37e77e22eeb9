#pragma once
/// `airlock-install export`: a verified bundle turned into a static PEP 503 index tree that any
/// web server serves as-is (`simple/`, `files/`, `README.txt`), so a fleet installs with plain
/// `pip install --index-url`. Built in a temporary directory next to the destination, renamed
/// into place whole. The tree records which bundle and sequence it holds
/// (`airlock/export-state.toml`), so a later export of the same bundle replaces it only with a
/// newer or equal sequence: the anti-rollback rule of `install`, for the served tree.

#include "core/bundle/reader.hpp"
#include "installer/install/rollback_state.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

namespace airlock::exporter {

struct ExportOptions {
    std::filesystem::path bundle;
    std::vector<std::filesystem::path> keys;
    std::optional<std::filesystem::path> trust_dir;
    /// must not exist, be an empty directory, or hold an earlier export of the same bundle
    std::filesystem::path to;
    bundle::AllowUnsigned allow_unsigned = bundle::AllowUnsigned::no;
    install::Downgrade downgrade = install::Downgrade::refuse;
};

/// Where an export records its bundle name and sequence, relative to its root.
inline constexpr const char* export_state_path = "airlock/export-state.toml";

/// Throws Error (and leaves nothing behind) on any failure.
void export_bundle(const ExportOptions& options, std::ostream& out);

/// Writes `simple/` and `README.txt` for the verified tree at `root` (which holds `files/`,
/// renamed from the bundle's `wheels/`). Exposed for tests.
void write_index(const std::filesystem::path& root, const bundle::BundleManifest& manifest,
                 const std::string& signer);

}  // namespace airlock::exporter

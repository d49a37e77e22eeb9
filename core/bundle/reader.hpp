#pragma once
/// Reads an airlock bundle as one stream (a file or its `.partNNN` set, plain or zstd): the
/// manifest and its signature first, checked against trusted keys before anything else is
/// looked at, then every other entry streamed through size and sha256 checks, optionally while
/// being written under a destination directory. Unsafe entries are never written.

#include "core/bundle/bundle_manifest.hpp"
#include "core/bundle/public_key.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace airlock::bundle {

enum class AllowUnsigned { no, yes };

struct Problem {
    enum class Kind {
        missing,      ///< in the manifest, not in the archive
        extra,        ///< in the archive, not in the manifest
        wrong_size,   ///< header size differs from the manifest's
        wrong_hash,   ///< content's sha256 differs from the manifest's
        unsafe_path,  ///< absolute, `..`, empty component, backslash, control character
        unsafe_type,  ///< symlink, hardlink, device, fifo, sparse file
        duplicate,    ///< the same path twice (or the manifest/signature again)
        damaged,      ///< the archive itself is truncated or corrupt; reading stopped there
    };
    Kind kind;
    std::string path;    ///< the entry's name as stored (empty for `damaged`)
    std::string detail;  ///< e.g. "expected 1234 bytes, archive says 99"

    /// One line: `wheels/x.whl: wrong sha256: expected …, computed …`.
    std::string message() const;
};

struct VerifyReport {
    BundleManifest manifest;
    std::string manifest_text;
    std::optional<KeyId> key_id;  ///< the trusted key that signed it; nullopt when unsigned
    std::vector<Problem> problems;
    std::uint64_t bytes_checked = 0;  ///< payload bytes hashed

    bool ok() const { return problems.empty(); }
    /// Throws one Error listing every problem, when there is any.
    void throw_if_problems() const;
};

/// The files that make up the bundle named by `path` (itself, or `path.part000…`).
std::vector<std::filesystem::path> bundle_parts(const std::filesystem::path& path);

/// Checks the manifest text against its signature text (nullopt when the bundle has none), and
/// only then parses it. Throws Error: unknown key (naming its id and the trusted ids), bad or
/// legacy (`Ed`) signature, an unsigned bundle without AllowUnsigned::yes (before parsing),
/// missing signature on a bundle marked signed, a string the manifest grammar refuses.
/// Returns the parsed manifest and the signer's key id (nullopt when unsigned).
std::pair<BundleManifest, std::optional<KeyId>> check_manifest(
    const std::string& manifest_text, const std::optional<std::string>& signature_text,
    const TrustedKeys& trusted, AllowUnsigned allow_unsigned);

/// Entries 1–2 as stored, read under the size caps (max_manifest_size, max_signature_size) and
/// not checked at all: for `list` without a key, which says so.
struct RawHead {
    std::string manifest_text;
    std::optional<std::string> signature_text;
};
RawHead read_head(const std::vector<std::filesystem::path>& parts);

/// Reads only entries 1–2 (manifest and signature) and checks them: enough for `list`.
VerifyReport read_manifest(const std::vector<std::filesystem::path>& parts,
                           const TrustedKeys& trusted, AllowUnsigned allow_unsigned);

/// Reads the whole bundle. Signature problems throw before any payload is read. Payload
/// problems are collected in the report (call throw_if_problems()). With `extract_to` (an
/// existing, empty directory the caller owns and removes on failure), verified entries are
/// written beneath it — `airlock/manifest.toml`, `wheels/…` — and a file whose hash turns out
/// wrong is deleted again; without it nothing is written (verify mode).
/// How far read_bundle is: payload bytes hashed and files done, of the manifest's totals.
struct ReadCount {
    std::uint64_t bytes = 0;
    std::uint64_t total_bytes = 0;
    std::size_t files = 0;
    std::size_t total_files = 0;
};
/// `progress`, when given, is told the ReadCount as reading goes on (for a progress display).
using ReadProgress = std::function<void(const ReadCount& count)>;
VerifyReport read_bundle(const std::vector<std::filesystem::path>& parts,
                         const TrustedKeys& trusted,
                         const std::optional<std::filesystem::path>& extract_to,
                         AllowUnsigned allow_unsigned, const ReadProgress& progress = {});

}  // namespace airlock::bundle

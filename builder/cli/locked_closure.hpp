#pragma once
/// What `fetch` and `build` share before downloading: the locks of every target (reused from
/// `--lock DIR` or resolved now) and the files they need, each listed once.

#include "builder/fetch/fetch.hpp"
#include "builder/lock/lock.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/resolve/resolve_manifest.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace airlock::builder {

/// The locks of the manifest's targets: read from `lock_dir/pylock.<target>.toml` when
/// `lock_dir` is not empty (every target must have one), otherwise resolved with `options`.
std::vector<lock::TargetLock> obtain_locks(const manifest::Manifest& manifest,
                                           const std::filesystem::path& lock_dir,
                                           const resolve::ResolveOptions& options,
                                           bool verbose = false);

/// `--pylock FILE`: the locks of the manifest's targets (those in `only`, or all) taken from a
/// PEP 751 file as it is, per target by its markers and wheel tags; no resolution.
std::vector<lock::TargetLock> locks_from_pylock(const manifest::Manifest& manifest,
                                                const std::filesystem::path& pylock,
                                                const std::vector<std::string>& only);

/// The credentials of the manifest's indexes, shared by resolving and downloading.
std::shared_ptr<const net::CredentialStore> manifest_credentials(
    const manifest::Manifest& manifest);

/// One locked file and the targets that need it.
struct ClosureFile {
    const lock::LockedPackage* package = nullptr;
    const lock::LockedFile* file = nullptr;
    std::vector<std::string> targets;
};

/// Every file of every lock, once (the same name and sha256 in several targets merge); sorted
/// by file name. Throws Error when two targets lock different bytes under one file name.
std::vector<ClosureFile> closure_files(const std::vector<lock::TargetLock>& locks);

/// The download request for each closure file, in the same order.
std::vector<fetch::FetchItem> fetch_items(const std::vector<ClosureFile>& files);

}  // namespace airlock::builder

#pragma once
/// Files of a find-links page whose links carry no `#sha256=`: pip hashes them by downloading
/// them; so does airlock, once, through the download engine and its cache (so `fetch` and
/// `build` find them there), and records the hash (and size) in the lock.

#include "builder/lock/lock.hpp"
#include "builder/resolve/resolve_manifest.hpp"

#include <vector>

namespace airlock::builder {

/// Downloads every locked file without a sha256 and fills in its sha256 and size. `verbose`:
/// says so on stderr, per file. Throws Error when a download fails, or under --offline.
void hash_by_download(std::vector<lock::TargetLock>& locks, const resolve::ResolveOptions& options,
                      bool verbose);

}  // namespace airlock::builder

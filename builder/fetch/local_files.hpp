#pragma once
/// Items whose URL is a `file://` path (a find-links folder): copied into the cache while
/// hashed, instead of downloaded, so the rest of the fetch finds them there.

#include "builder/fetch/cache.hpp"
#include "builder/fetch/fetch.hpp"

#include <vector>

namespace airlock::fetch {

/// For each item with a sha256 whose first URL is a local file and which the cache lacks: the
/// file's bytes, verified against the sha256 (and size), committed to `cache`. Throws Error
/// naming the file when it cannot be read or its bytes differ from what the lock says.
void import_local_files(const std::vector<FetchItem>& items, const Cache& cache);

}  // namespace airlock::fetch

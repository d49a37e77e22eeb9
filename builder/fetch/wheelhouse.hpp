#pragma once
/// A flat directory of fetched files (`fetch -o DIR`, `download -o DIR`): each file is hard-linked
/// from the cache (copied across filesystems) and renamed into place, so DIR never holds half a
/// file.

#include "builder/fetch/fetch.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace airlock::fetch {

/// Creates `dir` and places `fetched[i]` there as `items[i].folder/items[i].filename`; returns
/// the total bytes.
std::uint64_t write_wheelhouse(const std::vector<FetchItem>& items,
                               const std::vector<Fetched>& fetched,
                               const std::filesystem::path& dir);

}  // namespace airlock::fetch

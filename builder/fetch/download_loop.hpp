#pragma once
/// The event loop of fetch_each (fetch.hpp): one thread drives the transfer engine, the slot
/// scheduler (slot_scheduler.hpp) fills free connections, and each file (fetch_job.hpp) is
/// written, hashed and committed to the cache as its segments arrive.

#include "builder/fetch/fetch.hpp"

#include <vector>

namespace airlock::fetch {

/// Downloads the items (already checked by fetch_each) or finds them in the cache; throws only
/// for an interrupt (the partial files are kept for the next run).
FetchReport run_download_loop(const std::vector<FetchItem>& items, const FetchOptions& options);

}  // namespace airlock::fetch

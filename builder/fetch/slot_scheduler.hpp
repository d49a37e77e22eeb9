#pragma once
/// The slot scheduler of fetch: what a free connection to a server does next. Servers get
/// connections from their HostGovernor (host_governor.hpp); each free one is given a segment
/// waiting to be (re)started, else a new file, else half of the largest remainder of a file
/// in progress (work stealing), so the big files set the finishing time and no connection idles.

#include "builder/fetch/fetch_job.hpp"
#include "builder/fetch/host_governor.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace airlock::fetch {

/// One server (scheme://host[:port]) and the connections airlock has open to it.
struct Host {
    std::string origin;
    HostGovernor governor;
    int active = 0;        ///< transfers running
    bool starved = false;  ///< it had a free connection and nothing to give it
};

struct Slot {
    enum class Kind {
        segment,   ///< start `segment_id` of `job` (a first start, a retry, a resumed range)
        new_file,  ///< `job` was taken off the queue: open it and start its first segment
        split,     ///< `segment_id` is the new half of `job`'s largest remainder: start it
    } kind = Kind::segment;
    FetchJob* job = nullptr;
    std::uint64_t segment_id = 0;  ///< for `segment` and `split`
};

/// What a free connection to `origin` does next, in this order: a segment of a downloading
/// file that waits for a (re)start there (not before its backoff); a queued file whose first
/// URL is there, when fewer than `jobs` files are downloading (taken off `queue`); a split of
/// the largest remainder of a file downloading from there in ranges, never into pieces below
/// `min_segment_size` (the new half uses the file's current mirror). Empty: nothing to do.
std::optional<Slot> next_slot(const std::string& origin, const std::vector<FetchJob*>& downloading,
                              std::deque<FetchJob*>& queue, int jobs,
                              std::uint64_t min_segment_size,
                              std::chrono::steady_clock::time_point now);

}  // namespace airlock::fetch

#include "builder/fetch/slot_scheduler.hpp"

#include <algorithm>

namespace airlock::fetch {

std::optional<Slot> next_slot(const std::string& origin, const std::vector<FetchJob*>& downloading,
                              std::deque<FetchJob*>& queue, int jobs,
                              std::uint64_t min_segment_size,
                              std::chrono::steady_clock::time_point now) {
    // 1. A segment waiting for a (re)start.
    for (auto* job : downloading) {
        if (job->phase != FetchJob::Phase::downloading)
            continue;
        // Until the server has said whether it serves ranges, one transfer per file.
        if (job->ranges == FetchJob::Ranges::unknown && !job->live.empty())
            continue;
        for (const auto& s : job->plan.segments()) {
            if (s.active || s.finished() || s.not_before > now)
                continue;
            if (job->origins[s.mirror] != origin)
                continue;
            return Slot{Slot::Kind::segment, job, s.id};
        }
    }
    // 2. A new file.
    if (downloading.size() < static_cast<std::size_t>(std::max(1, jobs))) {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            FetchJob* job = *it;
            if (job->origins.front() != origin)
                continue;
            queue.erase(it);
            return Slot{Slot::Kind::new_file, job, 0};
        }
    }
    // 3. Work stealing: split the largest remainder of any file on this host.
    FetchJob* victim = nullptr;
    std::uint64_t best = 0;
    for (auto* job : downloading) {
        if (job->phase != FetchJob::Phase::downloading || job->ranges != FetchJob::Ranges::yes)
            continue;
        if (job->origins[job->mirror] != origin)
            continue;
        auto remaining = job->plan.largest_remaining();
        if (remaining > best) {
            best = remaining;
            victim = job;
        }
    }
    if (victim != nullptr) {
        if (auto id = victim->plan.split_largest(min_segment_size)) {
            victim->plan.find(*id)->mirror = victim->mirror;
            return Slot{Slot::Kind::split, victim, *id};
        }
    }
    return std::nullopt;
}

}  // namespace airlock::fetch

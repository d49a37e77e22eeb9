#include "builder/fetch/segment_plan.hpp"

#include <algorithm>

namespace airlock::fetch {

SegmentPlan::SegmentPlan(std::optional<std::uint64_t> size) {
    Segment s;
    s.id = next_id_++;
    s.end = size.value_or(unknown_end);
    segments_.push_back(s);
}

SegmentPlan SegmentPlan::from_segments(std::vector<Segment> segments) {
    SegmentPlan plan;
    std::sort(segments.begin(), segments.end(),
              [](const Segment& a, const Segment& b) { return a.start < b.start; });
    for (auto& s : segments) {
        s.id = plan.next_id_++;
        s.active = false;
        s.attempts = 0;
        s.busy = 0;
        plan.segments_.push_back(s);
    }
    return plan;
}

Segment* SegmentPlan::find(std::uint64_t id) {
    for (auto& s : segments_) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

std::optional<std::uint64_t> SegmentPlan::split_largest(std::uint64_t min_size) {
    Segment* victim = nullptr;
    for (auto& s : segments_) {
        if (s.end == unknown_end || s.finished())
            continue;
        if (victim == nullptr || s.remaining() > victim->remaining() ||
            (s.remaining() == victim->remaining() && s.active && !victim->active)) {
            victim = &s;
        }
    }
    if (victim == nullptr || victim->remaining() < 2 * std::max<std::uint64_t>(min_size, 1)) {
        return std::nullopt;
    }
    Segment upper;
    upper.id = next_id_++;
    upper.start = victim->position() + victim->remaining() / 2;
    upper.end = victim->end;
    upper.mirror = victim->mirror;
    victim->end = upper.start;
    auto at = std::find_if(segments_.begin(), segments_.end(),
                           [&](const Segment& s) { return s.start > upper.start; });
    auto id = upper.id;
    segments_.insert(at, upper);
    return id;
}

std::optional<std::uint64_t> SegmentPlan::next_pending(
    std::chrono::steady_clock::time_point now) const {
    for (const auto& s : segments_) {
        if (!s.active && !s.finished() && s.not_before <= now)
            return s.id;
    }
    return std::nullopt;
}

void SegmentPlan::set_size(std::uint64_t size) {
    if (!segments_.empty() && segments_.back().end == unknown_end)
        segments_.back().end = size;
}

std::uint64_t SegmentPlan::contiguous_prefix() const {
    std::uint64_t prefix = 0;
    for (const auto& s : segments_) {
        if (s.start != prefix)
            break;
        prefix = s.position();
        if (!s.finished())
            break;
    }
    return prefix;
}

std::uint64_t SegmentPlan::done_bytes() const {
    std::uint64_t total = 0;
    for (const auto& s : segments_)
        total += s.done;
    return total;
}

std::uint64_t SegmentPlan::largest_remaining() const {
    std::uint64_t best = 0;
    for (const auto& s : segments_) {
        if (!s.finished())
            best = std::max(best, s.remaining());
    }
    return best;
}

bool SegmentPlan::complete() const {
    return std::all_of(segments_.begin(), segments_.end(),
                       [](const Segment& s) { return s.finished(); });
}

bool SegmentPlan::any_active() const {
    return std::any_of(segments_.begin(), segments_.end(),
                       [](const Segment& s) { return s.active; });
}

}  // namespace airlock::fetch

#pragma once
/// How one file's bytes are split into HTTP range segments (RFC 9110 §14.2) and how idle
/// connections steal work: a connection with nothing to do splits the largest remainder.

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace airlock::fetch {

inline constexpr std::uint64_t unknown_end = std::numeric_limits<std::uint64_t>::max();

struct Segment {
    std::uint64_t id = 0;
    std::uint64_t start = 0;
    std::uint64_t end = unknown_end;  ///< exclusive; unknown_end while the size is unknown
    std::uint64_t done = 0;           ///< bytes of [start, end) already on disk, from `start`
    bool active = false;              ///< a transfer is filling it
    int attempts = 0;                 ///< failed transfers so far
    int busy = 0;                     ///< 503/429/refused answers while the host served others
    std::size_t mirror = 0;           ///< index into the file's URLs
    std::chrono::steady_clock::time_point not_before{};

    std::uint64_t position() const { return start + done; }
    bool finished() const { return end != unknown_end && position() >= end; }
    std::uint64_t remaining() const { return end == unknown_end ? unknown_end : end - position(); }
};

class SegmentPlan {
  public:
    SegmentPlan() = default;
    /// One segment covering the whole file (of unknown size when empty).
    explicit SegmentPlan(std::optional<std::uint64_t> size);
    /// Resumes from saved segments (ids are renumbered); gaps are not allowed.
    static SegmentPlan from_segments(std::vector<Segment> segments);

    const std::vector<Segment>& segments() const { return segments_; }
    Segment* find(std::uint64_t id);

    /// Splits the segment with the largest remainder in two halves when that remainder is at
    /// least 2 × `min_size`; the new upper half is returned (inactive, same mirror). Active
    /// segments are preferred victims: their transfer simply stops at the new end.
    std::optional<std::uint64_t> split_largest(std::uint64_t min_size);
    /// An inactive unfinished segment whose retry time has come, if any.
    std::optional<std::uint64_t> next_pending(std::chrono::steady_clock::time_point now) const;
    /// Sets the end of the file (when a response reveals the size).
    void set_size(std::uint64_t size);

    /// Bytes [0, n) are all on disk.
    std::uint64_t contiguous_prefix() const;
    std::uint64_t done_bytes() const;
    std::uint64_t largest_remaining() const;
    bool complete() const;
    bool any_active() const;

  private:
    std::vector<Segment> segments_;  ///< sorted by start, contiguous, covering the file
    std::uint64_t next_id_ = 1;
};

}  // namespace airlock::fetch

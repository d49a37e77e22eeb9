#pragma once
/// The small state file kept beside a partial download so a killed run resumes it: which byte
/// ranges are on disk and the validators (ETag / Last-Modified) that guard them via If-Range.

#include "builder/fetch/segment_plan.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::fetch {

struct PartialState {
    std::string url;  ///< the primary URL (credentials removed) the partial belongs to
    std::optional<std::uint64_t> size;
    std::vector<std::string> validators;  ///< per URL of the item, "" when unknown
    struct Range {
        std::uint64_t start = 0, end = 0, done = 0;
    };
    std::vector<Range> ranges;  ///< cover [0, size) in order

    /// nullopt when the file is missing, unreadable or not a consistent state (then the partial
    /// is restarted from zero, never spliced).
    static std::optional<PartialState> load(const std::filesystem::path& path);
    /// Writes atomically (temporary file + rename); throws Error on failure.
    void save(const std::filesystem::path& path) const;

    std::vector<Segment> segments() const;
    static std::vector<Range> ranges_of(const SegmentPlan& plan);
};

}  // namespace airlock::fetch

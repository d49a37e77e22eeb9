#pragma once
/// One file being downloaded: its partial file and resumable state in the cache's `tmp/` (a
/// killed run resumes it; another process downloading the same file gets a private partial),
/// its segment plan, and what each of its URLs has said about it.

#include "builder/fetch/cache.hpp"
#include "builder/fetch/fetch.hpp"
#include "builder/fetch/segment_plan.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::fetch {

struct SegmentTransfer;

struct FetchJob {
    std::size_t index = 0;
    const FetchItem* item = nullptr;
    enum class Phase { queued, downloading, hashing, done, failed } phase = Phase::queued;
    std::optional<std::uint64_t> size;
    SegmentPlan plan;
    int fd = -1;
    /// `state` empty: another process owns the resumable partial; ours is private.
    std::filesystem::path part, state;
    std::vector<std::string> origins;     ///< per URL: its server (scheme://host[:port])
    std::vector<std::string> validators;  ///< per URL
    std::vector<bool> mirror_gone;        ///< answered 4xx: never ask it again
    enum class Ranges { unknown, yes, no } ranges = Ranges::unknown;
    /// The server contradicted itself once (ranges, lengths, validators): the file now comes in
    /// one plain stream; a second contradiction fails it.
    bool fell_back = false;
    /// Downloaded once more after a hash mismatch (a byte flipped in transit); a second
    /// mismatch fails the file.
    bool refetched = false;
    std::size_t mirror = 0;  ///< the URL new segments use
    std::uint64_t prefix_posted = 0;
    std::uint64_t resumed_bytes = 0;
    std::vector<SegmentTransfer*> live;
    std::string error;
    Fetched result;

    /// Opens (creating or resuming) the partial file under `cache`'s tmp/ and sets the plan:
    /// the saved ranges when the state file matches the item and the bytes are on disk, else
    /// one segment from zero. Throws Error naming the file it cannot create.
    void open_files(const Cache& cache);
    /// Records the ranges on disk and the validators, so a killed run resumes; best effort.
    void save_state() const;
    /// Empties the partial file and forgets its state (the file starts over); "" or the error.
    std::string truncate();
    /// Closes and removes the partial file and its state.
    void discard();
    /// The first URL after `from` (round robin) that has not answered "gone"; `from` if none.
    std::size_t next_mirror(std::size_t from) const;
};

}  // namespace airlock::fetch

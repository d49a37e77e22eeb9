#include "builder/fetch/slot_scheduler.hpp"

#include <gtest/gtest.h>

#include <memory>

using namespace airlock::fetch;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t MiB = 1 << 20;

/// A file of `size` bytes whose URLs are on the servers `origins`.
struct TestJob {
    FetchItem item;
    FetchJob job;
    TestJob(std::uint64_t size, std::vector<std::string> origins) {
        item.filename = "f.whl";
        item.urls.assign(origins.size(), "http://x/f.whl");
        item.size = size;
        job.item = &item;
        job.origins = std::move(origins);
        job.plan = SegmentPlan(size);
        job.size = size;
    }
};

}  // namespace

TEST(SlotScheduler, RestartsBeforeNewFilesBeforeSplitting) {
    const auto now = Clock::now();
    TestJob waiting(100 * MiB, {"http://a"});
    waiting.job.phase = FetchJob::Phase::downloading;
    waiting.job.ranges = FetchJob::Ranges::yes;
    TestJob queued(10 * MiB, {"http://a"});
    std::vector<FetchJob*> downloading{&waiting.job};
    std::deque<FetchJob*> queue{&queued.job};

    // 1. The waiting segment (a retry whose backoff is over) comes first.
    auto slot = next_slot("http://a", downloading, queue, 32, MiB, now);
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot->kind, Slot::Kind::segment);
    EXPECT_EQ(slot->job, &waiting.job);
    waiting.job.plan.find(slot->segment_id)->active = true;

    // 2. Then a new file from the queue...
    slot = next_slot("http://a", downloading, queue, 32, MiB, now);
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot->kind, Slot::Kind::new_file);
    EXPECT_EQ(slot->job, &queued.job);
    EXPECT_TRUE(queue.empty());

    // 3. ...then half of the largest remainder, on the file's current mirror.
    waiting.job.mirror = 0;
    slot = next_slot("http://a", downloading, queue, 32, MiB, now);
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot->kind, Slot::Kind::split);
    EXPECT_EQ(slot->job, &waiting.job);
    ASSERT_EQ(waiting.job.plan.segments().size(), 2u);
    EXPECT_EQ(waiting.job.plan.segments()[1].id, slot->segment_id);
    EXPECT_EQ(waiting.job.plan.segments()[1].start, 50 * MiB);
}

TEST(SlotScheduler, KeepsToTheServerTheBackoffAndTheLimits) {
    const auto now = Clock::now();
    TestJob job(100 * MiB, {"http://a", "http://b"});
    job.job.phase = FetchJob::Phase::downloading;
    job.job.ranges = FetchJob::Ranges::yes;
    TestJob queued(10 * MiB, {"http://a"});
    std::vector<FetchJob*> downloading{&job.job};
    std::deque<FetchJob*> queue{&queued.job};
    auto& first = *job.job.plan.find(job.job.plan.segments().front().id);

    // A segment due at its mirror `b` is not given to `a`; `a` takes a new file instead.
    first.mirror = 1;
    auto slot = next_slot("http://b", downloading, queue, 32, MiB, now);
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot->kind, Slot::Kind::segment);
    // Not before its backoff.
    first.not_before = now + std::chrono::seconds(5);
    EXPECT_FALSE(next_slot("http://b", downloading, queue, 32, MiB, now));
    // No new file once `jobs` files are downloading; no split below 2 × the minimum segment.
    EXPECT_FALSE(next_slot("http://a", downloading, queue, 1, 64 * MiB, now));
    EXPECT_EQ(queue.size(), 1u);
    // Until the server has said whether it serves ranges, one transfer per file.
    first.not_before = {};
    job.job.ranges = FetchJob::Ranges::unknown;
    SegmentTransfer* live = nullptr;
    job.job.live.push_back(live);
    EXPECT_FALSE(next_slot("http://b", downloading, queue, 1, MiB, now));
}

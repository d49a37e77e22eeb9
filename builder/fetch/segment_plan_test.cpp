#include "builder/fetch/segment_plan.hpp"

#include <gtest/gtest.h>

using namespace airlock::fetch;

namespace {
const Segment& by_id(const SegmentPlan& plan, std::uint64_t id) {
    for (const auto& s : plan.segments()) {
        if (s.id == id)
            return s;
    }
    throw std::runtime_error("no such segment");
}
}  // namespace

TEST(SegmentPlan, StartsAsOneSegmentCoveringTheFile) {
    SegmentPlan plan(100);
    ASSERT_EQ(plan.segments().size(), 1u);
    EXPECT_EQ(plan.segments()[0].start, 0u);
    EXPECT_EQ(plan.segments()[0].end, 100u);
    EXPECT_FALSE(plan.complete());
    EXPECT_EQ(plan.contiguous_prefix(), 0u);
}

TEST(SegmentPlan, UnknownSizeIsNeverSplit) {
    SegmentPlan plan(std::nullopt);
    EXPECT_FALSE(plan.split_largest(1).has_value());
    plan.set_size(10);
    EXPECT_EQ(plan.segments()[0].end, 10u);
}

TEST(SegmentPlan, StealingSplitsTheLargestRemainderInHalf) {
    SegmentPlan plan(1000);
    auto first = plan.segments()[0].id;
    plan.find(first)->active = true;
    plan.find(first)->done = 200;  // 800 left: [200, 1000)
    auto stolen = plan.split_largest(100);
    ASSERT_TRUE(stolen);
    EXPECT_EQ(by_id(plan, first).end, 600u);
    EXPECT_EQ(by_id(plan, *stolen).start, 600u);
    EXPECT_EQ(by_id(plan, *stolen).end, 1000u);
    EXPECT_FALSE(by_id(plan, *stolen).active);
    // The next steal takes the largest remainder: [200, 600) and [600, 1000) tie at 400;
    // active segments win ties, so the first one is split again.
    auto again = plan.split_largest(100);
    ASSERT_TRUE(again);
    EXPECT_EQ(by_id(plan, *again).start, 400u);
    EXPECT_EQ(by_id(plan, first).end, 400u);
}

TEST(SegmentPlan, RespectsTheMinimumSegmentSize) {
    SegmentPlan plan(399);
    EXPECT_FALSE(plan.split_largest(200).has_value());  // 399 < 2 × 200
    EXPECT_TRUE(plan.split_largest(199).has_value());
}

TEST(SegmentPlan, SegmentsStaySortedAndContiguous) {
    SegmentPlan plan(1 << 20);
    for (int i = 0; i < 10; ++i)
        ASSERT_TRUE(plan.split_largest(1024));
    std::uint64_t expect = 0;
    for (const auto& s : plan.segments()) {
        EXPECT_EQ(s.start, expect);
        EXPECT_GT(s.end, s.start);
        expect = s.end;
    }
    EXPECT_EQ(expect, 1u << 20);
}

TEST(SegmentPlan, ContiguousPrefixStopsAtTheFirstGap) {
    SegmentPlan plan(1000);
    auto a = plan.segments()[0].id;
    auto b = *plan.split_largest(1);  // [0,500) [500,1000)
    plan.find(b)->done = 500;         // second half complete, out of order
    EXPECT_EQ(plan.contiguous_prefix(), 0u);
    plan.find(a)->done = 300;
    EXPECT_EQ(plan.contiguous_prefix(), 300u);
    plan.find(a)->done = 500;
    EXPECT_EQ(plan.contiguous_prefix(), 1000u);
    EXPECT_TRUE(plan.complete());
    EXPECT_EQ(plan.done_bytes(), 1000u);
}

TEST(SegmentPlan, NextPendingSkipsActiveFinishedAndWaiting) {
    SegmentPlan plan(1000);
    auto a = plan.segments()[0].id;
    auto b = *plan.split_largest(1);
    auto now = std::chrono::steady_clock::now();
    plan.find(a)->active = true;
    plan.find(b)->not_before = now + std::chrono::seconds(5);
    EXPECT_FALSE(plan.next_pending(now).has_value());
    EXPECT_EQ(plan.next_pending(now + std::chrono::seconds(6)), b);
    plan.find(b)->done = 500;
    EXPECT_FALSE(plan.next_pending(now + std::chrono::seconds(6)).has_value());
}

TEST(SegmentPlan, ResumedSegmentsKeepTheirProgress) {
    std::vector<Segment> saved(2);
    saved[0].start = 0;
    saved[0].end = 50;
    saved[0].done = 50;
    saved[1].start = 50;
    saved[1].end = 100;
    saved[1].done = 20;
    saved[1].active = true;  // was active when the process died
    auto plan = SegmentPlan::from_segments(saved);
    EXPECT_EQ(plan.contiguous_prefix(), 70u);
    EXPECT_FALSE(plan.any_active());
    auto pending = plan.next_pending(std::chrono::steady_clock::now());
    ASSERT_TRUE(pending);
    EXPECT_EQ(by_id(plan, *pending).position(), 70u);
}

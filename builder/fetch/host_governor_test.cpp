#include "builder/fetch/host_governor.hpp"

#include <gtest/gtest.h>

using namespace airlock::fetch;
using namespace std::chrono_literals;

namespace {
/// Feeds the governor windows in which each settled connection moves `per_connection` bytes/s,
/// up to `link` bytes/s in total.
int settle(HostGovernor& g, HostGovernor::Clock::time_point& now, double per_connection,
           double link, int windows) {
    for (int i = 0; i < windows; ++i) {
        double rate = std::min(link, per_connection * g.allowed());
        g.on_bytes(static_cast<std::uint64_t>(rate * 0.3), true);
        now += HostGovernor::window;
        g.tick(now, g.allowed(), g.allowed(), false);
    }
    return g.allowed();
}
}  // namespace

TEST(HostGovernor, GrowsToTheCeilingWhileEachConnectionAddsThroughput) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(8, 64, now);
    EXPECT_EQ(settle(g, now, 4e6, 1e12, 10), 64);
    EXPECT_EQ(settle(g, now, 4e6, 1e12, 10), 64);  // and stays there
}

TEST(HostGovernor, StopsGrowingWhenTheLinkIsFull) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(8, 64, now);
    // One connection already fills the link: more never helps. One doubling, a measure, one
    // more doubling to see it not pay off, and back.
    EXPECT_EQ(settle(g, now, 1e9, 1e9, 5), 16);
    // Gentle probes later come back too.
    for (int i = 0; i < 10; ++i)
        EXPECT_LE(settle(g, now, 1e9, 1e9, 3), 20);
    EXPECT_EQ(settle(g, now, 1e9, 1e9, 2), 16);
}

TEST(HostGovernor, AFreshTransfersBurstIsNoMeasure) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(16, 64, now);
    settle(g, now, 4e6, 1e12, 1);  // doubles unmeasured
    EXPECT_EQ(g.allowed(), 32);
    // The bursts of the 16 new transfers (unsettled) would make 32 look like a full link if
    // they counted; each settled one moves 4 MB/s: 32 measured, then 64.
    for (int i = 0; i < 2; ++i) {
        g.on_bytes(static_cast<std::uint64_t>(4e6 * 0.3 * 32), true);
        g.on_bytes(64 << 20, false);
        now += HostGovernor::window;
        g.tick(now, 32, 32, false);
    }
    EXPECT_EQ(g.allowed(), 64);
}

TEST(HostGovernor, WaitsUntilMostConnectionsAreSettled) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(16, 64, now);
    settle(g, now, 4e6, 1e12, 1);
    ASSERT_EQ(g.allowed(), 32);
    for (int i = 0; i < 5; ++i) {
        g.on_bytes(static_cast<std::uint64_t>(4e6 * 0.3 * 16), true);
        now += HostGovernor::window;
        g.tick(now, 32, 16, false);  // the 16 new ones are not settled: no measure
    }
    EXPECT_EQ(g.allowed(), 32);
}

TEST(HostGovernor, DropsToWhatTheServerAcceptedAndProbesSlowly) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(32, 64, now);
    g.on_busy(16, now);
    EXPECT_EQ(g.allowed(), 16);
    g.on_busy(20, now);  // never grows on a refusal
    EXPECT_EQ(g.allowed(), 16);
    settle(g, now, 4e6, 1e12, 3);  // < 2 s later: no probe yet
    EXPECT_EQ(g.allowed(), 16);
    settle(g, now, 4e6, 1e12, 10);
    EXPECT_GT(g.allowed(), 16);
    EXPECT_LE(g.allowed(), 18);
}

TEST(HostGovernor, DoesNotGrowWhenStarvedOfWork) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(8, 64, now);
    for (int i = 0; i < 20; ++i) {
        g.on_bytes(1000000, true);
        now += HostGovernor::window;
        g.tick(now, 3, 3, true);
    }
    EXPECT_EQ(g.allowed(), 8);
}

#include "builder/fetch/host_governor.hpp"

#include <gtest/gtest.h>

using namespace airlock::fetch;
using namespace std::chrono_literals;

namespace {
/// Feeds the governor windows in which each connection moves `per_connection` bytes/s, up to
/// `link` bytes/s in total.
int settle(HostGovernor& g, HostGovernor::Clock::time_point& now, double per_connection,
           double link, int windows) {
    for (int i = 0; i < windows; ++i) {
        double rate = std::min(link, per_connection * g.allowed());
        g.on_bytes(static_cast<std::uint64_t>(rate * 0.3));
        now += HostGovernor::window;
        g.tick(now, g.allowed(), false);
    }
    return g.allowed();
}
}  // namespace

TEST(HostGovernor, GrowsToTheCeilingWhileEachConnectionAddsThroughput) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(8, 64, now);
    EXPECT_EQ(settle(g, now, 4e6, 1e12, 20), 64);
}

TEST(HostGovernor, StopsGrowingWhenTheLinkIsFull) {
    auto now = HostGovernor::Clock::now();
    HostGovernor g(8, 64, now);
    // One connection already fills the link: more never helps.
    EXPECT_LE(settle(g, now, 1e9, 1e9, 20), 16);
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
        g.on_bytes(1000000);
        now += HostGovernor::window;
        g.tick(now, 3, true);
    }
    EXPECT_EQ(g.allowed(), 8);
}

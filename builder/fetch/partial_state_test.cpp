#include "builder/fetch/partial_state.hpp"

#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

using namespace airlock::fetch;
using airlock::test_support::TempDir;

TEST(PartialState, RoundTrips) {
    PartialState state;
    state.url = "http://127.0.0.1:1/a.whl";
    state.size = 100;
    state.validators = {"\"abc-64\"", ""};
    state.ranges = {{0, 40, 40}, {40, 100, 10}};
    TempDir dir("airlock-partial-test-");
    auto path = dir / "a.state";
    state.save(path);
    auto back = PartialState::load(path);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->url, state.url);
    EXPECT_EQ(back->size, 100u);
    EXPECT_EQ(back->validators, state.validators);
    ASSERT_EQ(back->ranges.size(), 2u);
    EXPECT_EQ(back->ranges[1].start, 40u);
    EXPECT_EQ(back->ranges[1].done, 10u);
    auto segments = back->segments();
    EXPECT_EQ(SegmentPlan::from_segments(segments).contiguous_prefix(), 50u);
}

TEST(PartialState, RejectsInconsistentFiles) {
    TempDir dir("airlock-partial-test-");
    auto path = dir / "bad.state";
    auto write = [&](const std::string& text) {
        airlock::test_support::write_file(path, text);
        return PartialState::load(path);
    };
    EXPECT_FALSE(write("not json"));
    EXPECT_FALSE(write(R"({"version":2,"url":"u","size":10,"validators":[],"ranges":[[0,10,0]]})"));
    // a gap between ranges
    EXPECT_FALSE(
        write(R"({"version":1,"url":"u","size":10,"validators":[],"ranges":[[0,4,0],[5,10,0]]})"));
    // more done than the range holds
    EXPECT_FALSE(
        write(R"({"version":1,"url":"u","size":10,"validators":[],"ranges":[[0,10,11]]})"));
    // ranges not covering the size
    EXPECT_FALSE(write(R"({"version":1,"url":"u","size":12,"validators":[],"ranges":[[0,10,1]]})"));
    EXPECT_TRUE(
        write(R"({"version":1,"url":"u","size":10,"validators":[""],"ranges":[[0,10,3]]})"));
    EXPECT_FALSE(PartialState::load(dir / "missing.state"));
}

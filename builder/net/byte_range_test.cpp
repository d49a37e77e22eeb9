#include "builder/net/byte_range.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace airlock::net;

TEST(ByteRange, SpecOfEachForm) {
    struct Case {
        ByteRange range;
        const char* spec;
    };
    const std::vector<Case> cases = {
        {ByteRange::span(10, 19), "10-19"},
        {ByteRange::span(0, 0), "0-0"},
        {ByteRange::from(0), "0-"},
        {ByteRange::from(1048576), "1048576-"},
        {ByteRange::tail(100), "-100"},
        {ByteRange::span(0, 18446744073709551614ull), "0-18446744073709551614"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(c.range.spec(), c.spec);
}

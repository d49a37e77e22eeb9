#include "core/base/terminal_columns.hpp"

#include <gtest/gtest.h>

namespace airlock {
namespace {

TEST(TerminalColumns, CountsWideCodePointsTwice) {
    EXPECT_EQ(columns("numpy"), 5u);
    EXPECT_EQ(columns("≥1 …"), 4u);              // U+2265 and U+2026 are narrow
    EXPECT_EQ(columns("包"), 2u);                // CJK
    EXPECT_EQ(columns("\xF0\x9F\x93\xA6"), 2u);  // an emoji
}

TEST(TerminalColumns, FitKeepsStartAndEnd) {
    EXPECT_EQ(fit_columns("short", 10), "short");
    const std::string name = "package_with_a_long_name-1.0-cp312-cp312-manylinux_2_28_x86_64.whl";
    auto fitted = fit_columns(name, 30);
    EXPECT_EQ(columns(fitted), 30u);
    EXPECT_EQ(fitted, "package_with_a_long_…86_64.whl");
    EXPECT_EQ(fit_columns("abcdef", 3), "abc");
    // Never cuts a code point in half.
    EXPECT_EQ(fit_columns("包包包包包包包包", 7), "包包…包");
}

}  // namespace
}  // namespace airlock

#include "core/conda/version.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using airlock::conda::Version;

namespace {

// Ascending; rows in one group compare equal. From conda's VersionOrder docstring and tests
// (conda/models/version.py, tests/models/test_version.py) and rattler's version tests.
const std::vector<std::vector<const char*>> kSorted = {
    {"0.4", "0.4.0", "0.4.0.0", "0!0.4"},  // conda's docstring shows `<`; its tests assert ==
    {"0.4.1.rc", "0.4.1.RC"},
    {"0.4.1"},
    {"0.5a1"},
    {"0.5b3"},
    {"0.5C1"},
    {"0.5"},
    {"0.9.6"},
    {"0.960923"},
    {"1.0"},
    {"1.1dev1"},
    {"1.1_"},
    {"1.1a1"},
    {"1.1.0dev1", "1.1.dev1"},
    {"1.1.a1"},
    {"1.1.0rc1"},
    {"1.1.0", "1.1", "1.1.0.0"},
    {"1.1.0post1", "1.1.post1"},
    {"1.1.1"},
    {"1.1post1"},  // `post` beats any number in the same place
    {"1.2+abc"},   // a local string sorts before no local part (strings < the implicit 0)
    {"1.2", "1-2", "1_2"},
    {"1.2+1", "1.2+1.0"},
    {"1.2+2"},
    {"1.2.1"},
    {"1996.07.12"},
    {"20240101"},
    {"123456789012345678901234567890"},
    {"1!0.4.1"},
    {"1!3.1.1.6"},
    {"2!0.4.1"},
};

TEST(CondaVersion, SortedTableEveryPair) {
    std::vector<std::pair<Version, std::size_t>> all;
    for (std::size_t g = 0; g < kSorted.size(); ++g) {
        for (const char* text : kSorted[g])
            all.emplace_back(Version::parse(text), g);
    }
    for (const auto& [a, ga] : all) {
        for (const auto& [b, gb] : all) {
            SCOPED_TRACE(a.source() + " vs " + b.source());
            EXPECT_EQ(a < b, ga < gb);
            EXPECT_EQ(a == b, ga == gb);
            EXPECT_EQ(a > b, ga > gb);
            if (ga == gb) {
                EXPECT_EQ(a.hash(), b.hash());
            }
        }
    }
}

TEST(CondaVersion, DevBeforeStringsBeforeNumbersBeforePost) {
    EXPECT_LT(Version::parse("1.0dev"), Version::parse("1.0_"));
    EXPECT_LT(Version::parse("1.0_"), Version::parse("1.0a"));
    EXPECT_LT(Version::parse("1.0a"), Version::parse("1.0"));
    EXPECT_LT(Version::parse("1.0"), Version::parse("1.0post"));
    EXPECT_LT(Version::parse("1.0.post1"), Version::parse("1.0.1"));
    EXPECT_LT(Version::parse("1.0.*"), Version::parse("1.0.dev"));
    // `devel` is an ordinary string, not `dev`.
    EXPECT_LT(Version::parse("1.0dev"), Version::parse("1.0devel"));
    EXPECT_LT(Version::parse("1.0beta"), Version::parse("1.0devel"));
}

TEST(CondaVersion, KeepsSourceAndNormalizes) {
    auto v = Version::parse("  1.0-RC1 ");
    EXPECT_EQ(v.source(), "1.0-RC1");
    EXPECT_EQ(v.normalized(), "1.0_rc1");
    EXPECT_EQ(Version::parse("1.0.0RC1"), Version::parse("1.0.0rc1"));
    EXPECT_TRUE(Version::parse("1.0+local").has_local());
    EXPECT_FALSE(Version::parse("1.0").has_local());
    EXPECT_EQ(Version().source(), "0");
    EXPECT_EQ(Version(), Version::parse("0.0"));
}

TEST(CondaVersion, StartsWith) {
    auto sw = [](const char* v, const char* p) {
        return Version::parse(v).starts_with(Version::parse(p));
    };
    EXPECT_TRUE(sw("1.2", "1.2"));
    EXPECT_TRUE(sw("1.2.3", "1.2"));
    EXPECT_TRUE(sw("1.2a", "1.2"));
    EXPECT_TRUE(sw("1.2.3rc1", "1.2.3"));
    EXPECT_FALSE(sw("1.20", "1.2"));
    EXPECT_FALSE(sw("1.3", "1.2"));
    EXPECT_FALSE(sw("1", "1.2"));
    EXPECT_TRUE(sw("1.0", "1"));
    EXPECT_TRUE(sw("1.2.0a1", "1.2.0a"));
    EXPECT_TRUE(sw("1.2.0abc", "1.2.0a"));
    EXPECT_FALSE(sw("1.2.0b", "1.2.0a"));
    EXPECT_TRUE(sw("2.5.1+cu124", "2.5.1+cu"));
    EXPECT_FALSE(sw("2.5.1+cpu", "2.5.1+cu"));
    EXPECT_FALSE(sw("1!1.2", "1.2"));
}

TEST(CondaVersion, RefusesInvalid) {
    for (const char* bad : {"", "  ", "1..2", "1.2.", ".1", "1!2!3", "a!1", "1+2+3", "+1", "1!",
                            "1.2+", "1.2-3_4", "1.2 3", "1/2", "1.2\x1b"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(Version::parse(bad), airlock::Error);
        EXPECT_FALSE(Version::try_parse(bad).has_value());
    }
}

TEST(CondaVersion, ErrorQuotesInputWithCaret) {
    try {
        Version::parse("1.2/3");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid conda version `1.2/3`: invalid character (a version has letters, "
                  "digits and `.` `_` `+` `!` `*`)\n"
                  "  1.2/3\n"
                  "     ^");
    }
    try {
        Version::parse("1.2\x1b[31m");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_NE(std::string(e.what()).find("`1.2\\x1b[31m`"), std::string::npos) << e.what();
    }
}

}  // namespace

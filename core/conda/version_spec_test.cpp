#include "core/conda/version_spec.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using airlock::conda::Version;
using airlock::conda::VersionSpec;

namespace {

struct Row {
    const char* spec;
    const char* version;
    bool matches;
};

// From conda's tests/models/test_version.py (test_match) and the conda docs.
const Row kRows[] = {
    {"*", "1.2.3", true},
    {"1.2", "1.2", true},
    {"1.2", "1.2.0", true},
    {"1.2", "1.2.1", false},
    {"==1.2", "1.2.0", true},
    {"==1.2", "1.2.1", false},
    {"1.2.*", "1.2.1", true},
    {"1.2.*", "1.2", true},
    {"1.2.*", "1.20", false},
    {"1.2*", "1.2.4", true},
    {"1.2*", "1.20", false},
    {"=1.2", "1.2.9", true},
    {"=1.2", "1.3", false},
    {"=1.2.*", "1.2.9", true},
    {"!=1.2", "1.2.0", false},
    {"!=1.2", "1.2.1", true},
    {"!=1.2.*", "1.2.1", false},
    {"!=1.2.*", "1.3", true},
    {">1.2", "1.2.1", true},
    {">1.2", "1.2", false},
    {">=1.2", "1.2", true},
    {">=1.2", "1.2rc1", false},
    {"<1.2", "1.2rc1", true},
    {"<1.2", "1.2", false},
    {"<=1.2", "1.2.0", true},
    {">=1.2.*", "1.2.0", true},
    {"<2.*", "1.9", true},
    {"<2.*", "2.0", false},
    {"~=1.2.3", "1.2.3", true},
    {"~=1.2.3", "1.2.9", true},
    {"~=1.2.3", "1.3", false},
    {"~=1.2.3", "1.2.2", false},
    {"~=1.2", "1.9", true},
    {"~=1.2", "2.0", false},
    {">=1,<2", "1.5", true},
    {">=1,<2", "2.0", false},
    {">=1,<2|>=3", "3.1", true},
    {">=1,<2|>=3", "2.5", false},
    {"<2|>=3,<4", "1.0", true},
    {"<2|>=3,<4", "4.0", false},
    {"(<2|>=3),<4", "4.0", false},
    {"(<2|>=3),<4", "3.5", true},
    {" >=1.0 , <2.0 ", "1.5", true},
    {"1.*.3", "1.7.3", true},
    {"1.*.3", "1.7.4", false},
    {"*.cuda", "12.1.cuda", true},
    {">=2.17,<3.0.a0", "2.28", true},
    {">=2.17,<3.0.a0", "3.0", false},
    {">=3.12,<3.13.0a0", "3.12.4", true},
    {">=3.12,<3.13.0a0", "3.13.0rc1", false},
    {"1.0.*", "1.0.0post1", true},
    {"2.5.1+cu124", "2.5.1+cu124", true},
    {"2.5.1", "2.5.1+cu124", false},
};

TEST(CondaVersionSpec, Table) {
    for (const auto& row : kRows) {
        SCOPED_TRACE(std::string(row.spec) + " ~ " + row.version);
        EXPECT_EQ(VersionSpec::parse(row.spec).matches(Version::parse(row.version)), row.matches);
    }
}

TEST(CondaVersionSpec, Display) {
    EXPECT_EQ(VersionSpec::parse("1.2*").to_string(), "1.2.*");
    EXPECT_EQ(VersionSpec::parse(" >=1.0 , <2.0 | 3.* ").to_string(), ">=1.0,<2.0|3.*");
    EXPECT_EQ(VersionSpec::parse("(<2|>=3),<4").to_string(), "(<2|>=3),<4");
    EXPECT_EQ(VersionSpec::parse("((1.5|1.6)|1.7)").to_string(), "1.5|1.6|1.7");
    EXPECT_EQ(VersionSpec().to_string(), "*");
    EXPECT_TRUE(VersionSpec::parse("*").is_any());
}

// A leaf ending in `*` without another `*` (conda's VersionSpec.get_matcher): one `*` means
// "starts with" what comes before it, trailing `.` dropped; with two or more, conda starts from
// the version that keeps all but the last `*` (a `*` run is a version component: `p**` starts
// with the version `p*`), shown with `=` so that the text does not read back as a glob.
TEST(CondaVersionSpec, TrailingStars) {
    const struct {
        const char* spec;
        const char* shown;
        std::vector<std::pair<const char*, bool>> versions;
    } rows[] = {
        {"p*", "p.*", {{"p", true}, {"p1", true}, {"p*", true}, {"q", false}}},
        {"p.*", "p.*", {{"p", true}, {"p.1", true}, {"q", false}}},
        {"1..*", "1..*", {{"1.2", true}, {"2", false}}},
        {"p**",
         "=p*.*",
         {{"p*", true}, {"p*.1", true}, {"p**", true}, {"p", false}, {"p.1", false}}},
        {"p***", "=p**.*", {{"p**", true}, {"p*", false}, {"p", false}}},
        {"1.2**", "=1.2*.*", {{"1.2*", true}, {"1.2", false}, {"1.2.3", false}}},
        {"1.**", "=1.*.*", {{"1.*", true}, {"1.*.3", true}, {"1", false}, {"1.2", false}}},
        {"**", "=*.*", {{"*", true}, {"*.1", true}, {"1", false}}},
        {"=p*.*", "=p*.*", {{"p*", true}, {"p", false}}},
        {"=p*", "=p*", {{"p*", true}, {"p", false}}},
        {"p*.*", "p*.*", {{"p*", false}, {"p1.2", true}}},  // a glob
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.spec);
        auto spec = VersionSpec::parse(row.spec);
        EXPECT_EQ(spec.to_string(), row.shown);
        auto again = VersionSpec::parse(spec.to_string());
        EXPECT_EQ(again.to_string(), row.shown);
        for (const auto& [text, matches] : row.versions) {
            SCOPED_TRACE(text);
            EXPECT_EQ(spec.matches(Version::parse(text)), matches);
            EXPECT_EQ(again.matches(Version::parse(text)), matches);
        }
    }
    for (const char* bad : {".*", "..**", "1..**", "1.2..**"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(VersionSpec::parse(bad), airlock::Error);
    }
}

// Every spec over a small alphabet (versions, globs, stars, operators, `,` `|`): its text parses
// again to the same text, matching the same versions. What fuzz_match_spec checks, exhaustively
// for short specs, so that a sibling of a fixed case does not wait for the next fuzz run.
TEST(CondaVersionSpec, TextReadsBackAsTheSameSpec) {
    std::vector<Version> versions;
    for (const char* v :
         {"1",   "1.1",   "1.p", "p",    "p1",  "p*",    "p*.1", "p**", "*",   "*.1", "1*",
          "1.*", "1.*.1", "1+1", "1+p*", "1!1", "1.1.1", "0",    "p.p", "1_1", "11"})
        versions.push_back(Version::parse(v));
    const std::string alphabet = "1p.*=!<,|";
    std::vector<std::string> level{""};
    std::size_t parsed = 0;
    for (int length = 1; length <= 4; ++length) {
        std::vector<std::string> longer;
        for (const auto& s : level) {
            for (char c : alphabet)
                longer.push_back(s + c);
        }
        for (const auto& text : longer) {
            auto spec = VersionSpec::try_parse(text);
            if (!spec)
                continue;
            ++parsed;
            auto shown = spec->to_string();
            auto again = VersionSpec::try_parse(shown);
            ASSERT_TRUE(again.has_value()) << text << " shown as " << shown;
            ASSERT_EQ(again->to_string(), shown) << text;
            for (const auto& v : versions) {
                ASSERT_EQ(spec->matches(v), again->matches(v))
                    << text << " shown as " << shown << ", on " << v.source();
            }
        }
        level = std::move(longer);
    }
    EXPECT_GT(parsed, 700u);
}

TEST(CondaVersionSpec, Exact) {
    EXPECT_EQ(VersionSpec::parse("==1.2").exact()->source(), "1.2");
    EXPECT_EQ(VersionSpec::parse("1.2").exact()->source(), "1.2");
    EXPECT_FALSE(VersionSpec::parse("1.2.*").exact().has_value());
    EXPECT_FALSE(VersionSpec::parse(">=1.2").exact().has_value());
}

TEST(CondaVersionSpec, RefusesInvalid) {
    for (const char* bad : {"", ">=", "<= 1.2", "<>1.2", "=>1", "!1", "~=1", "~=1.2.*", "^1\\.2$",
                            "1.2,", ",1.2", "(1.2", "1.2)", "1.2|", ">=1.2 3", "1.*.[3]"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(VersionSpec::parse(bad), airlock::Error);
    }
}

TEST(CondaVersionSpec, ErrorPointsAtTheLeaf) {
    try {
        VersionSpec::parse(">=1.0,<2..0");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid version spec `>=1.0,<2..0`: empty version component (two separators "
                  "in a row, or one at an end)\n"
                  "  >=1.0,<2..0\n"
                  "         ~~~^");
    }
}

}  // namespace

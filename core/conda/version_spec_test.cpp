#include "core/conda/version_spec.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

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

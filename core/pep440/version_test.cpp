#include "core/pep440/version.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

using airlock::pep440::Pre;
using airlock::pep440::PreKind;
using airlock::pep440::Version;

namespace {

// Sorted ascending; every pair is compared. From PEP 440 and packaging's test suite.
const char* const kSorted[] = {
    // Implicit epoch 0
    "1.0.dev456",
    "1.0a1",
    "1.0a2.dev456",
    "1.0a12.dev456",
    "1.0a12",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0b2-346",
    "1.0rc1.dev456",
    "1.0rc1",
    "1.0c2",
    "1.0rc3",
    "1.0",
    "1.0+abc.5",
    "1.0+abc.7",
    "1.0+5",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.15",
    "1.1.dev1",
    "1.2+123abc",
    "1.2+123abc456",
    "1.2+abc",
    "1.2+abc123",
    "1.2+abc123def",
    "1.2+1234.abc",
    "1.2+123456",
    "1.2.r32+123456",
    "1.2.rev33+123456",
    "2.5.1",
    "2.5.1+cpu",
    "2.5.1+cu118",
    "2.5.1+cu124",
    "20240101",
    // Explicit epochs
    "1!1.0.dev456",
    "1!1.0a1",
    "1!1.0b2.post345",
    "1!1.0",
    "1!1.0+abc.5",
    "1!1.0.post456",
    "1!1.2.rev33+123456",
    "2!0.1",
};

}  // namespace

TEST(Version, SortedTableEveryPair) {
    std::vector<Version> versions;
    for (const char* text : kSorted)
        versions.push_back(Version::parse(text));
    for (std::size_t i = 0; i < versions.size(); ++i) {
        for (std::size_t j = 0; j < versions.size(); ++j) {
            const auto& a = versions[i];
            const auto& b = versions[j];
            SCOPED_TRACE(std::string(kSorted[i]) + " vs " + kSorted[j]);
            EXPECT_EQ(a < b, i < j);
            EXPECT_EQ(a > b, i > j);
            EXPECT_EQ(a == b, i == j);
            EXPECT_EQ(a != b, i != j);
            EXPECT_EQ(a <= b, i <= j);
            EXPECT_EQ(a >= b, i >= j);
        }
    }
}

TEST(Version, TrailingZerosAreEqualAndHashAlike) {
    const auto a = Version::parse("1.0");
    const auto b = Version::parse("1.0.0.0");
    const auto c = Version::parse("1");
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, c);
    EXPECT_EQ(a.hash(), b.hash());
    EXPECT_EQ(a.to_string(), "1.0");
    EXPECT_EQ(b.to_string(), "1.0.0.0");
    std::unordered_set<Version> set{a, b, c};
    EXPECT_EQ(set.size(), 1u);
    EXPECT_NE(Version::parse("1.0+a"), a);
    EXPECT_EQ(Version::parse("0!1.0"), a);
}

TEST(Version, NormalisationTable) {
    const struct {
        const char* input;
        const char* normal;
    } table[] = {
        // release, epoch, leading v, whitespace, leading zeros
        {"1.0", "1.0"},
        {"v1.0", "1.0"},
        {"V1.0", "1.0"},
        {"  1.0\n", "1.0"},
        {"\t1.0 ", "1.0"},
        {"01.02.003", "1.2.3"},
        {"0!1.0", "1.0"},
        {"1!1.0", "1!1.0"},
        {"2024.10.1", "2024.10.1"},
        // pre-releases
        {"1.0a1", "1.0a1"},
        {"1.0A1", "1.0a1"},
        {"1.0alpha1", "1.0a1"},
        {"1.0ALPHA1", "1.0a1"},
        {"1.0a", "1.0a0"},
        {"1.0.a1", "1.0a1"},
        {"1.0-a1", "1.0a1"},
        {"1.0_a1", "1.0a1"},
        {"1.0a.1", "1.0a1"},
        {"1.0a-1", "1.0a1"},
        {"1.0a_1", "1.0a1"},
        {"1.0beta2", "1.0b2"},
        {"1.0b", "1.0b0"},
        {"1.0c1", "1.0rc1"},
        {"1.0pre1", "1.0rc1"},
        {"1.0preview1", "1.0rc1"},
        {"1.0RC1", "1.0rc1"},
        {"1.0-rc-1", "1.0rc1"},
        // post-releases
        {"1.0post1", "1.0.post1"},
        {"1.0.post1", "1.0.post1"},
        {"1.0-post1", "1.0.post1"},
        {"1.0_post1", "1.0.post1"},
        {"1.0post", "1.0.post0"},
        {"1.0-post", "1.0.post0"},
        {"1.0post.1", "1.0.post1"},
        {"1.0POST-1", "1.0.post1"},
        {"1.0r", "1.0.post0"},
        {"1.0-r4", "1.0.post4"},
        {"1.0rev4", "1.0.post4"},
        {"1.0-5", "1.0.post5"},
        // dev releases
        {"1.0dev", "1.0.dev0"},
        {"1.0.dev", "1.0.dev0"},
        {"1.0-dev", "1.0.dev0"},
        {"1.0dev1", "1.0.dev1"},
        {"1.0.DEV1", "1.0.dev1"},
        {"1.0-dev-1", "1.0.dev1"},
        {"1.0a-", "1.0a0"},
        {"1.0rev-", "1.0.post0"},
        {"1.0a.dev1", "1.0a0.dev1"},
        {"1.0a--1", "1.0a0.post1"},
        // local labels
        {"1.0+AbC", "1.0+abc"},
        {"1.0+ubuntu-1", "1.0+ubuntu.1"},
        {"1.0+ubuntu_1", "1.0+ubuntu.1"},
        {"1.0+05", "1.0+5"},
        {"1.0+abc.007", "1.0+abc.7"},
        {"2.5.1+cu124", "2.5.1+cu124"},
        // everything at once
        {"v1!1.0-RC.1-post-2.DEV_3+Local-05", "1!1.0rc1.post2.dev3+local.5"},
        {"1.0a1.post2.dev3+x.y", "1.0a1.post2.dev3+x.y"},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.input);
        EXPECT_EQ(Version::parse(row.input).to_string(), row.normal);
        EXPECT_EQ(Version::parse(row.normal).to_string(), row.normal);
    }
}

TEST(Version, InvalidTable) {
    for (const char* bad : {"",
                            "   ",
                            "v",
                            "french toast",
                            "1.0-foo",
                            "1.0.",
                            ".1",
                            "1..0",
                            "1.0+",
                            "1.0+_abc",
                            "1.0+abc..1",
                            "1.0+abc.",
                            "1.0-",
                            "1!",
                            "1.0 a1",
                            "1.0a1a1",
                            "1.0post1.post2",
                            "1.0.dev1.dev2",
                            "1.0+a b",
                            "99999999999999999999999.0",
                            "1.0^2",
                            "≥1.0"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(Version::try_parse(bad));
        EXPECT_THROW(Version::parse(bad), airlock::Error);
    }
}

TEST(Version, ErrorMessages) {
    auto message = [](const char* text) -> std::string {
        try {
            Version::parse(text);
        } catch (const airlock::Error& e) {
            return e.what();
        }
        return "(no error)";
    };
    EXPECT_EQ(message("1.0-foo"),
              "invalid version `1.0-foo`: unexpected `-foo` after `1.0` (after the release "
              "numbers PEP 440 allows only `aN`, `bN`, `rcN`, `.postN`, `.devN` and `+local`)");
    EXPECT_EQ(message("french toast"),
              "invalid version `french toast`: expected a number at `french toast` (a version "
              "looks like `1.2.3`, `2!1.0` or `v1.0rc1`)");
    EXPECT_EQ(message(""), "invalid version ``: it is empty");
    EXPECT_EQ(message("1.0+"),
              "invalid version `1.0+`: the local label after `+` must be letters and digits "
              "separated by `.`, `-` or `_`");
    EXPECT_EQ(message("1.99999999999999999999"),
              "invalid version `1.99999999999999999999`: a number in it is too large (more than "
              "64 bits)");
}

TEST(Version, Accessors) {
    const auto v = Version::parse("3!1.2.3rc4.post5.dev6+ubuntu.7");
    EXPECT_EQ(v.epoch(), 3u);
    EXPECT_EQ(v.release(), (std::vector<std::uint64_t>{1, 2, 3}));
    ASSERT_TRUE(v.pre());
    EXPECT_EQ(*v.pre(), (Pre{PreKind::rc, 4}));
    EXPECT_EQ(v.post(), 5u);
    EXPECT_EQ(v.dev(), 6u);
    EXPECT_EQ(v.local(), "ubuntu.7");
    EXPECT_TRUE(v.is_prerelease());
    EXPECT_TRUE(v.is_postrelease());
    EXPECT_TRUE(v.is_devrelease());
    EXPECT_TRUE(v.has_local());
    EXPECT_EQ(v.public_version().to_string(), "3!1.2.3rc4.post5.dev6");
    EXPECT_EQ(v.base_version().to_string(), "3!1.2.3");

    const auto plain = Version::parse("2.5.1");
    EXPECT_FALSE(plain.pre());
    EXPECT_FALSE(plain.post());
    EXPECT_FALSE(plain.dev());
    EXPECT_EQ(plain.local(), "");
    EXPECT_FALSE(plain.is_prerelease());
    EXPECT_FALSE(plain.is_postrelease());
    EXPECT_FALSE(plain.has_local());

    EXPECT_TRUE(Version::parse("1.0.dev1").is_prerelease());
    EXPECT_TRUE(Version::parse("1.0.post1.dev1").is_prerelease());
    EXPECT_FALSE(Version::parse("1.0.post1").is_prerelease());
    EXPECT_EQ(Version().to_string(), "0");
}

#include "core/tags/tag.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

using airlock::tags::parse_tag_set;
using airlock::tags::Tag;
using airlock::tags::try_parse_tag_set;

namespace {

std::vector<std::string> strings(const std::vector<Tag>& tags) {
    std::vector<std::string> out;
    for (const auto& t : tags)
        out.push_back(t.to_string());
    return out;
}

}  // namespace

TEST(Tag, ToString) {
    EXPECT_EQ((Tag{"cp312", "cp312", "manylinux_2_28_x86_64"}).to_string(),
              "cp312-cp312-manylinux_2_28_x86_64");
    EXPECT_EQ(airlock::tags::to_string({{"py3", "none", "any"}, {"cp312", "abi3", "win_amd64"}}),
              "py3-none-any, cp312-abi3-win_amd64");
}

// Spec: "a compressed tag set" — each of the three parts may hold several `.`-separated tags,
// and the set is their product (packaging.tags.parse_tag).
TEST(Tag, ParseTagSetTable) {
    struct Row {
        const char* text;
        std::vector<std::string> expected;
    };
    const Row rows[] = {
        {"py3-none-any", {"py3-none-any"}},
        {"py2.py3-none-any", {"py2-none-any", "py3-none-any"}},
        {"cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
         {"cp312-cp312-manylinux_2_17_x86_64", "cp312-cp312-manylinux2014_x86_64"}},
        {"cp38-abi3-macosx_10_9_x86_64.macosx_11_0_arm64",
         {"cp38-abi3-macosx_10_9_x86_64", "cp38-abi3-macosx_11_0_arm64"}},
        {"cp27.cp36-cp27mu.none-linux_x86_64",
         {"cp27-cp27mu-linux_x86_64", "cp27-none-linux_x86_64", "cp36-cp27mu-linux_x86_64",
          "cp36-none-linux_x86_64"}},
        {"CP312-CP312-WIN_AMD64", {"cp312-cp312-win_amd64"}},
        {"cp312-cp312-linux_x86_64", {"cp312-cp312-linux_x86_64"}},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(strings(parse_tag_set(row.text)), row.expected) << row.text;
    }
}

TEST(Tag, InvalidTagSets) {
    for (const char* text : {"", "py3-none", "py3-none-any-x", "py3..py2-none-any", "py3-none-",
                             "-none-any", "py3-no ne-any"}) {
        EXPECT_FALSE(try_parse_tag_set(text).has_value()) << text;
        EXPECT_THROW(parse_tag_set(text), airlock::Error) << text;
    }
    try {
        parse_tag_set("py3-none");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid wheel tag set `py3-none`: expected three parts "
                  "`interpreter-abi-platform`, found 2");
    }
}

TEST(Tag, EqualityOrderingAndHash) {
    Tag a{"cp312", "cp312", "win_amd64"};
    Tag b{"cp312", "none", "win_amd64"};
    EXPECT_EQ(a, (Tag{"cp312", "cp312", "win_amd64"}));
    EXPECT_NE(a, b);
    EXPECT_LT(a, b);
    std::unordered_set<Tag> set{a, b, a};
    EXPECT_EQ(set.size(), 2u);
    EXPECT_TRUE(set.contains(Tag{"cp312", "none", "win_amd64"}));
}

#include "core/base/edit_distance.hpp"

#include <gtest/gtest.h>

namespace airlock {
namespace {

TEST(EditDistance, Levenshtein) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("numpy", "numpy"), 0u);
    EXPECT_EQ(edit_distance("nunpy", "numpy"), 1u);
    EXPECT_EQ(edit_distance("instal", "install"), 1u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(EditDistance, ClosestWordsAreTyposOnly) {
    std::vector<std::string> names{"numpy", "numba", "pandas", "torch", "torchvision", "six"};
    EXPECT_EQ(closest_words("nunpy", names), (std::vector<std::string>{"numpy"}));
    EXPECT_EQ(closest_words("numpa", names), (std::vector<std::string>{"numba", "numpy"}));
    EXPECT_EQ(closest_words("pandsa", names), (std::vector<std::string>{"pandas"}));
    EXPECT_EQ(closest_words("torhc", names), (std::vector<std::string>{"torch"}));
    EXPECT_TRUE(closest_words("tensorflow", names).empty());
    EXPECT_EQ(closest_words("sx", names), (std::vector<std::string>{"six"}));
    EXPECT_TRUE(closest_words("ab", names).empty());
    EXPECT_EQ(closest_words("numpy", names), (std::vector<std::string>{"numba"}));
}

}  // namespace
}  // namespace airlock

#include "core/conda/glob.hpp"

#include <gtest/gtest.h>

using airlock::conda::glob_match;

TEST(CondaGlob, Table) {
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("*", "py312h_0"));
    EXPECT_TRUE(glob_match("py312*", "py312h_0"));
    EXPECT_FALSE(glob_match("py312*", "py311h_0"));
    EXPECT_TRUE(glob_match("*cuda*", "py3.12_cuda12.1_cudnn8_0"));
    EXPECT_FALSE(glob_match("*cuda*", "py3.12_cpu_0"));
    EXPECT_TRUE(glob_match("*_cp312", "0_cp312"));
    EXPECT_FALSE(glob_match("*_cp312", "0_cp312t"));
    EXPECT_TRUE(glob_match("1.*.3", "1.22.3"));
    EXPECT_FALSE(glob_match("1.*.3", "1.22.4"));
    EXPECT_TRUE(glob_match("a*b*c", "aXbYbZc"));
    EXPECT_FALSE(glob_match("a*b*c", "aXbYbZ"));
    EXPECT_TRUE(glob_match("exact", "exact"));
    EXPECT_FALSE(glob_match("exact", "exactly"));
    EXPECT_FALSE(glob_match("", "x"));
}

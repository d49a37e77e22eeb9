#include "core/base/human_size.hpp"

#include <gtest/gtest.h>

namespace airlock {
namespace {

TEST(HumanSize, BinaryUnitsWithOneDecimal) {
    EXPECT_EQ(human_size(0), "0 B");
    EXPECT_EQ(human_size(1023), "1023 B");
    EXPECT_EQ(human_size(1024), "1.0 KiB");
    EXPECT_EQ(human_size(34734080), "33.1 MiB");
    EXPECT_EQ(human_size(2684354560ull), "2.5 GiB");
    EXPECT_EQ(human_size(5ull << 40), "5.0 TiB");
    EXPECT_EQ(human_size(5ull << 50), "5120.0 TiB");
}

TEST(HumanSize, ExactSizeKeepsTheByteCountForMismatches) {
    EXPECT_EQ(exact_size(512), "512 B");
    EXPECT_EQ(exact_size(34734080), "33.1 MiB (34734080 bytes)");
    EXPECT_EQ(exact_size(34734081), "33.1 MiB (34734081 bytes)");
}

}  // namespace
}  // namespace airlock

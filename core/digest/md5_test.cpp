#include "core/digest/md5.hpp"

#include <gtest/gtest.h>

using namespace airlock::digest;

TEST(Md5, KnownVectorsAndStreaming) {
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    Md5 h;
    h.update("a");
    h.update("bc");
    EXPECT_EQ(h.hex_digest(), md5_hex("abc"));
    EXPECT_EQ(h.hex_digest(), md5_hex(""));  // reset after a digest
    EXPECT_TRUE(is_md5_hex("900150983CD24FB0D6963F7D28E17F72"));
    EXPECT_FALSE(is_md5_hex("900150983cd24fb0d6963f7d28e17f7"));
    EXPECT_FALSE(is_md5_hex("900150983cd24fb0d6963f7d28e17f7g"));
}

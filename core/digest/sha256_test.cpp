#include "core/digest/sha256.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

using namespace airlock::digest;

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, StreamingEqualsOneShotAndResets) {
    Sha256 h;
    h.update("a");
    h.update("bc");
    EXPECT_EQ(h.hex_digest(), sha256_hex("abc"));
    h.update("abc");
    EXPECT_EQ(h.hex_digest(), sha256_hex("abc"));
}

TEST(Sha256, File) {
    airlock::test_support::TempDir dir("airlock-sha256-test-");
    auto path = dir / "abc.bin";
    airlock::test_support::write_file(path, "abc");
    EXPECT_EQ(sha256_file(path), sha256_hex("abc"));
    std::filesystem::remove(path);
    EXPECT_THROW(sha256_file(path), airlock::Error);
}

TEST(Sha256, IsHex) {
    EXPECT_TRUE(is_sha256_hex(sha256_hex("x")));
    EXPECT_FALSE(is_sha256_hex("abc"));
}

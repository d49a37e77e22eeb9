#include "core/archive/hasher_thread.hpp"
#include "core/digest/sha256.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

namespace airlock::archive {
namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng());
    return s;
}

/// Feeds `bytes` through `hasher` in pieces of uneven sizes, reading each buffer back after
/// handing it over (as the tar writer writes it out); returns what was read back.
std::string feed(HasherThread& hasher, const std::string& bytes, unsigned seed) {
    std::mt19937 rng(seed);
    std::string copied;
    for (std::size_t at = 0; at < bytes.size();) {
        std::span<char> buffer = hasher.next_buffer();
        EXPECT_EQ(buffer.size(), hasher.slot_size());
        std::size_t n = std::min<std::size_t>(bytes.size() - at, 1 + rng() % buffer.size());
        std::memcpy(buffer.data(), bytes.data() + at, n);
        hasher.hash(n);
        copied.append(buffer.data(), n);
        at += n;
    }
    return copied;
}

TEST(HasherThread, DigestIsTheSha256OfEveryByteHandedOver) {
    const std::string a = random_bytes(1'500'000, 1);
    const std::string b = random_bytes(70'000, 2);
    for (auto [slots, slot_size] :
         {std::pair<std::size_t, std::size_t>{1, 4096}, {2, 1000}, {8, 65536}, {5, 333}}) {
        HasherThread hasher(slots, slot_size);
        EXPECT_EQ(feed(hasher, a, 3), a);
        EXPECT_EQ(hasher.hex_digest(), digest::sha256_hex(a)) << slots << " x " << slot_size;
        // The next digest starts afresh, also with nothing handed over.
        EXPECT_EQ(feed(hasher, b, 4), b);
        EXPECT_EQ(hasher.hex_digest(), digest::sha256_hex(b));
        EXPECT_EQ(hasher.hex_digest(), digest::sha256_hex(""));
    }
}

TEST(HasherThread, StopsWithBuffersNotHashedYet) {
    const std::string a = random_bytes(200'000, 5);
    HasherThread hasher(4, 4096);
    feed(hasher, a, 6);
    // Destroyed without hex_digest(): joins without waiting for a digest nobody takes.
}

}  // namespace
}  // namespace airlock::archive

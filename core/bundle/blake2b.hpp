#pragma once
/// BLAKE2b (RFC 7693), unkeyed, any output length from 1 to 64 bytes. minisign needs BLAKE2b-256
/// (the secret key checksum), which OpenSSL 3.0 cannot produce, and BLAKE2b-512 (prehashing).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace airlock::bundle {

class Blake2b {
  public:
    explicit Blake2b(std::size_t out_len = 64);
    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    std::vector<std::uint8_t> final();

  private:
    void compress(bool last);

    std::array<std::uint64_t, 8> h_{};
    std::array<std::uint64_t, 2> t_{};
    std::array<std::uint8_t, 128> buf_{};
    std::size_t used_ = 0;
    std::size_t out_len_;
};

/// BLAKE2b of `bytes` with an `out_len`-byte digest.
std::vector<std::uint8_t> blake2b(std::string_view bytes, std::size_t out_len = 64);

}  // namespace airlock::bundle

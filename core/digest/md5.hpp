#pragma once
/// MD5 (RFC 1321) over a stream of bytes, for the one place it is still a check: conda records
/// that carry an md5 and no sha256. Never a reason to trust a file on its own where a sha256 is
/// available.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace airlock::digest {

class Md5 {
  public:
    Md5();
    ~Md5();
    Md5(Md5&&) noexcept;
    Md5& operator=(Md5&&) noexcept;
    Md5(const Md5&) = delete;
    Md5& operator=(const Md5&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    /// Lowercase hex of the digest; the object is reset and can be reused afterwards.
    std::string hex_digest();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Lowercase hex MD5 of `bytes`.
std::string md5_hex(std::string_view bytes);
/// True when `text` is 32 lowercase-or-uppercase hex digits.
bool is_md5_hex(std::string_view text);

}  // namespace airlock::digest

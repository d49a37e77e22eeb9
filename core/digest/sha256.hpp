#pragma once
/// SHA-256 (FIPS 180-4) over a stream of bytes: fed as they arrive, never in a second pass.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace airlock::digest {

class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    /// Lowercase hex of the digest; the object is reset and can be reused afterwards.
    std::string hex_digest();
    std::array<std::uint8_t, 32> digest();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);
/// Lowercase hex SHA-256 of a file's contents (streamed); throws Error naming the file.
std::string sha256_file(const std::filesystem::path& path);
/// True when `text` is 64 lowercase-or-uppercase hex digits.
bool is_sha256_hex(std::string_view text);

}  // namespace airlock::digest

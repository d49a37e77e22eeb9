#pragma once
/// A self-extracting bundle: one executable file made of a static airlock-install, the bundle's
/// bytes unchanged (plain or zstd, exactly as `airlock-build build` writes them), and a 64-byte
/// trailer at the very end:
///
///     offset  u64 LE   where the bundle starts (= the installer's size)
///     length  u64 LE   the bundle's size
///     sha256  32 bytes of everything before the trailer (installer and bundle)
///     magic   16 bytes "airlock-sfx-v1\r\n"
///
/// The trailer is checked strictly (magic exact, offset + length + 64 = file size, an ELF before
/// it); the sha256 catches corruption of the installer and of bytes the tar reader skips. It
/// guards against corruption, not tampering: whoever can change the file can recompute it. Trust
/// comes from the bundle's signature checked by an installer the site already trusts.

#include "core/archive/byte_stream.hpp"
#include "core/digest/sha256.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace airlock::bundle {

inline constexpr std::size_t sfx_trailer_size = 64;

struct EmbeddedBundle {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::array<std::uint8_t, 32> sha256{};
};

/// The trailer's bytes.
std::array<char, sfx_trailer_size> encode_sfx_trailer(const EmbeddedBundle& embedded);

/// Where the bundle inside `file` is: nullopt when the file does not end with the magic (a plain
/// bundle). Throws Error when it does but the trailer does not fit the file.
std::optional<EmbeddedBundle> find_embedded_bundle(const std::filesystem::path& file);

/// Reads the bundle inside a self-extracting file: hashes the installer before it at the start,
/// then every byte it hands out, and at the end of the bundle compares with the trailer's sha256
/// (throws Error on a mismatch).
class EmbeddedBundleSource final : public archive::ByteSource {
  public:
    EmbeddedBundleSource(std::filesystem::path file, EmbeddedBundle embedded);
    ~EmbeddedBundleSource() override;
    EmbeddedBundleSource(const EmbeddedBundleSource&) = delete;
    EmbeddedBundleSource& operator=(const EmbeddedBundleSource&) = delete;

    std::size_t read(void* data, std::size_t size) override;

  private:
    std::size_t read_at(void* data, std::size_t size, std::uint64_t offset);

    std::filesystem::path file_;
    EmbeddedBundle embedded_;
    int fd_ = -1;
    std::uint64_t position_ = 0;  ///< bytes of the bundle handed out
    digest::Sha256 hash_;
    bool checked_ = false;
};

/// A sink that writes a self-extracting file into `out`: the installer's bytes at construction,
/// then whatever is written (the bundle), and the trailer on finish(). `out` is finished too.
class SelfExtractingSink final : public archive::ByteSink {
  public:
    SelfExtractingSink(archive::ByteSink& out, const std::filesystem::path& installer);
    void write(const void* data, std::size_t size) override;
    void finish() override;

  private:
    archive::ByteSink& out_;
    digest::Sha256 hash_;
    EmbeddedBundle embedded_;
};

/// Throws Error unless `installer` is a statically linked ELF executable (no PT_INTERP): a
/// dynamic one would not start on the bare machine the file is for.
void check_static_installer(const std::filesystem::path& installer);

}  // namespace airlock::bundle

#pragma once
/// Zstandard (RFC 8878) in front of a byte stream: compress on the way out, decompress on the way
/// in. The worker count is pinned so the same input always gives the same bytes.

#include "core/archive/byte_stream.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace airlock::archive {

/// True when `head` starts with the zstd frame magic number (28 B5 2F FD).
bool is_zstd(std::string_view head);

/// The decompressed size a zstd frame header declares (a hint: the header is not verified
/// against the data), nullopt when the header does not say or `head` is not a frame header.
std::optional<std::uint64_t> zstd_content_size(std::string_view head);

/// Decompresses `compressed` (one or more whole frames) into out[0, capacity) in one call, the
/// fastest way when the size is known (zstd_content_size); returns the bytes written. Throws
/// airlock::Error when the data is damaged or does not fit.
std::size_t zstd_decompress(std::string_view compressed, char* out, std::size_t capacity);

class ZstdSink final : public ByteSink {
  public:
    /// `workers` 0 compresses on the calling thread; N ≥ 1 uses N threads. The output depends
    /// on the level and on whether workers is 0 or not, so callers pin both.
    ZstdSink(ByteSink& inner, int level, int workers);
    ~ZstdSink() override;
    void write(const void* data, std::size_t size) override;
    void finish() override;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

class ZstdSource final : public ByteSource {
  public:
    /// `head` holds bytes already read from `inner` (the sniffed magic number).
    ZstdSource(ByteSource& inner, std::string head = {});
    ~ZstdSource() override;
    std::size_t read(void* data, std::size_t size) override;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Hands back sniffed bytes first, then the rest of `inner` (used when the stream is not zstd).
class PrefixedSource final : public ByteSource {
  public:
    PrefixedSource(ByteSource& inner, std::string head) : inner_(inner), head_(std::move(head)) {}
    std::size_t read(void* data, std::size_t size) override;

  private:
    ByteSource& inner_;
    std::string head_;
    std::size_t pos_ = 0;
};

}  // namespace airlock::archive

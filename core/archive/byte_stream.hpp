#pragma once
/// Byte streams the archive layers are stacked on: a source to read from, a sink to write to.

#include <cstddef>

namespace airlock::archive {

/// Somewhere bytes go (a set of part files, a zstd compressor in front of another sink).
class ByteSink {
  public:
    virtual ~ByteSink() = default;
    virtual void write(const void* data, std::size_t size) = 0;
    /// Flushes whatever is buffered; no write() after it.
    virtual void finish() = 0;
};

/// Somewhere bytes come from (a set of part files read as one stream, a zstd decompressor).
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    /// Reads up to `size` bytes; 0 only at the end of the stream. Throws Error on failure.
    virtual std::size_t read(void* data, std::size_t size) = 0;
};

}  // namespace airlock::archive

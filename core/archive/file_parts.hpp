#pragma once
/// A stream stored as one file or as numbered parts `NAME.part000`, `NAME.part001`, … (for FAT32
/// sticks and DVDs), written atomically and read back as one stream.

#include "core/archive/byte_stream.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::archive {

/// The name of part `index` of `base`: `base.part007`.
std::filesystem::path part_path(const std::filesystem::path& base, std::size_t index);

/// The files that make up the stream named by `path`: `path` itself when it is a plain file;
/// `BASE.part000…` when `path` is `BASE` (and only parts exist) or any `BASE.partNNN`. Throws
/// Error naming the missing file when nothing exists or a part in the middle is missing.
std::vector<std::filesystem::path> find_parts(const std::filesystem::path& path);

/// Writes to temporary files next to the destination and renames them into place on commit();
/// destroyed without commit() it deletes them, so a failure leaves nothing behind.
/// With `split_size`, output goes to `dest.part000`, `dest.part001`, … each at most that big.
class PartsSink final : public ByteSink {
  public:
    PartsSink(std::filesystem::path dest, std::optional<std::uint64_t> split_size);
    ~PartsSink() override;
    PartsSink(const PartsSink&) = delete;
    PartsSink& operator=(const PartsSink&) = delete;

    void write(const void* data, std::size_t size) override;
    void finish() override;
    /// fsyncs and renames every part into place (removing stale higher-numbered parts of an
    /// earlier build of the same name); returns the final paths in order.
    std::vector<std::filesystem::path> commit();
    std::uint64_t bytes_written() const { return total_; }

  private:
    void open_next();
    void close_current();
    void flush_buffer();
    /// Writes `a` then `b` (either may be empty), starting new parts as the split size says.
    void write_through(const char* a, std::size_t a_size, const char* b, std::size_t b_size);

    std::filesystem::path dest_;
    std::optional<std::uint64_t> split_size_;
    std::vector<std::filesystem::path> temps_;
    /// One duplicate descriptor per temporary, holding its flock until the destructor: marks
    /// them live for remove_stale_temps() (core/base/stale_temp.hpp) of other writers.
    std::vector<int> locks_;
    std::vector<char> buffer_;  ///< gathers small writes (headers, padding) into large ones
    int fd_ = -1;
    std::uint64_t in_part_ = 0;
    std::uint64_t total_ = 0;
    bool committed_ = false;
};

/// Reads a list of files one after the other as one stream.
class PartsSource final : public ByteSource {
  public:
    explicit PartsSource(std::vector<std::filesystem::path> parts);
    ~PartsSource() override;
    PartsSource(const PartsSource&) = delete;
    PartsSource& operator=(const PartsSource&) = delete;

    std::size_t read(void* data, std::size_t size) override;
    /// The part being read (for messages).
    const std::filesystem::path& current() const;

  private:
    std::vector<std::filesystem::path> parts_;
    std::size_t index_ = 0;
    int fd_ = -1;
};

}  // namespace airlock::archive

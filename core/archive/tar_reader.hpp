#pragma once
/// Reads a POSIX tar (ustar, pax, GNU) from any ByteSource, one entry at a time, handing out each
/// entry's contents in blocks so nothing is held in memory. Extraction policy is the caller's.

#include "core/archive/byte_stream.hpp"

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct archive;

namespace airlock::archive {

enum class EntryType { file, directory, symlink, hardlink, other };

struct TarEntry {
    std::string path;
    EntryType type = EntryType::file;
    std::uint64_t size = 0;
    std::string link_target;  ///< symlinks and hardlinks
    std::uint32_t mode = 0;   ///< permission bits (07777) as stored
};

class TarReader {
  public:
    explicit TarReader(ByteSource& source);
    ~TarReader();
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;

    /// The next entry's header, or nullopt at the end-of-archive marker. Throws Error on a
    /// damaged archive, and on a malformed pax extended header (naming the entry), where GNU tar
    /// fails too.
    std::optional<TarEntry> next();
    /// The next block of the current entry's data; empty at its end. Throws Error when the
    /// archive is truncated or damaged (or holds a sparse entry).
    std::span<const char> read_block();

    /// After next() returned nullopt: the offset just past the end-of-archive marker.
    std::uint64_t end_offset() const;
    /// After next() returned nullopt: whether the archive ended with its end-of-archive marker
    /// (two zero blocks), rather than where an entry ends (a copy cut short at an entry's end).
    bool end_marker_complete() const { return end_marker_bytes_ >= 1024; }
    /// After next() returned nullopt: reads the source to its end and returns the offset of the
    /// first byte that is not zero padding (appended entries, garbage), nullopt when none is.
    std::optional<std::uint64_t> data_after_end();

  private:
    [[noreturn]] void fail(const std::string& what);
    std::size_t fill(char* buffer);

    ByteSource& source_;
    struct ::archive* a_ = nullptr;
    /// Two buffers handed to libarchive in turn, each filled completely (but at the end), so the
    /// bytes libarchive read ahead past the end-of-archive marker are still in one of them.
    std::vector<char> buffers_[2];
    std::size_t filled_[2] = {0, 0};
    int current_ = 1;
    std::uint64_t given_ = 0;  ///< bytes handed to libarchive
    bool at_end_ = false;
    std::uint64_t end_marker_bytes_ = 0;  ///< zero blocks libarchive consumed at the end
    std::int64_t expected_offset_ = 0;
    std::exception_ptr source_error_;
    std::exception_ptr pending_error_;  ///< the source failed after fill() had bytes to return
    friend struct TarReaderCallbacks;
};

}  // namespace airlock::archive

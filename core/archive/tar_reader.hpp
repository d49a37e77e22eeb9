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
};

class TarReader {
  public:
    explicit TarReader(ByteSource& source);
    ~TarReader();
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;

    /// The next entry's header, or nullopt at the end. Throws Error on a damaged archive.
    std::optional<TarEntry> next();
    /// The next block of the current entry's data; empty at its end. Throws Error when the
    /// archive is truncated or damaged (or holds a sparse entry).
    std::span<const char> read_block();

  private:
    [[noreturn]] void fail(const std::string& what);

    ByteSource& source_;
    struct ::archive* a_ = nullptr;
    std::vector<char> buffer_;
    std::int64_t expected_offset_ = 0;
    std::exception_ptr source_error_;
    friend struct TarReaderCallbacks;
};

}  // namespace airlock::archive

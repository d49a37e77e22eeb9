#pragma once
/// Reads a zip file (PKWARE APPNOTE.TXT) with libarchive, one entry at a time, handing out each
/// entry's contents as a ByteSource so a caller can stack another reader on it (the `.conda`
/// package format: a zip holding zstd-compressed tars) without writing it to disk.

#include "core/archive/byte_stream.hpp"
#include "core/archive/tar_reader.hpp"

#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

struct archive;

namespace airlock::archive {

struct ZipEntry {
    std::string path;
    EntryType type = EntryType::file;
    std::uint64_t size = 0;
};

class ZipReader {
  public:
    /// Opens `file`; throws Error naming it when it cannot be read or is not a zip (its central
    /// directory and end record included: a truncated zip is refused, not read partly).
    explicit ZipReader(const std::filesystem::path& file);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    /// The next entry's header, or nullopt at the end. Throws Error on a damaged archive.
    std::optional<ZipEntry> next();
    /// The current entry's bytes (decompressed when the zip compressed them); reads throw Error
    /// on damage. Valid until the next call to next().
    ByteSource& data() { return data_; }

  private:
    class EntrySource final : public ByteSource {
      public:
        explicit EntrySource(ZipReader& owner) : owner_(owner) {}
        std::size_t read(void* data, std::size_t size) override;

      private:
        ZipReader& owner_;
    };
    [[noreturn]] void fail(const std::string& what);

    std::filesystem::path file_;
    struct ::archive* a_ = nullptr;
    EntrySource data_{*this};
};

/// bzip2 in front of a byte stream (the `.tar.bz2` package format), decompressed by libarchive's
/// built-in bzip2 filter (never an external program).
class Bzip2Source final : public ByteSource {
  public:
    explicit Bzip2Source(ByteSource& inner);
    ~Bzip2Source() override;
    Bzip2Source(const Bzip2Source&) = delete;
    Bzip2Source& operator=(const Bzip2Source&) = delete;
    std::size_t read(void* data, std::size_t size) override;

  private:
    [[noreturn]] void fail(const std::string& what);

    ByteSource& inner_;
    struct ::archive* a_ = nullptr;
    std::string buffer_;
    std::exception_ptr source_error_;
    friend struct Bzip2Callbacks;
};

}  // namespace airlock::archive

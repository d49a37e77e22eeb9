#pragma once
/// POSIX.1-2001 pax interchange format (ustar headers, pax extended headers only when a name or
/// size needs one), written reproducibly: fixed mtime, uid/gid 0, no user/group names, mode 0644,
/// no atime/ctime; contents streamed from disk in fixed-size chunks. Written here, without
/// libarchive, so that airlock-build does not load it (and its dozen libraries) at every start;
/// reading untrusted archives stays with libarchive (tar_reader.hpp).

#include "core/archive/byte_stream.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::archive {

class HasherThread;

class TarWriter {
  public:
    /// `mtime` is stamped on every entry (SOURCE_DATE_EPOCH, or 0).
    TarWriter(ByteSink& sink, std::int64_t mtime);
    ~TarWriter();
    TarWriter(const TarWriter&) = delete;
    TarWriter& operator=(const TarWriter&) = delete;

    /// A regular file holding `bytes`.
    void add_bytes(std::string_view name, std::string_view bytes);

    /// A regular file streamed from `source`, which must be `size` bytes long and, when
    /// `sha256` is not empty, hash to it (checked while copying, on a second thread for big
    /// files; throws Error otherwise, after the file's bytes went to the sink).
    void add_file(std::string_view name, const std::filesystem::path& source, std::uint64_t size,
                  std::string_view sha256 = {});

    /// Writes the end-of-archive blocks and finishes the sink.
    void finish();

  private:
    /// The ustar header of `name` (preceded by a pax header when ustar cannot hold it).
    void header(std::string_view name, std::uint64_t size);
    void raw_header(std::string_view prefix, std::string_view name, std::uint64_t size, char type);
    void write(const void* bytes, std::size_t size);
    /// Zeros up to the next 512-byte boundary.
    void pad();

    ByteSink& sink_;
    std::int64_t mtime_;
    std::uint64_t written_ = 0;
    std::vector<char> buffer_;              ///< for files copied on this thread alone
    std::unique_ptr<HasherThread> hasher_;  ///< started by the first big file with a hash
};

}  // namespace airlock::archive

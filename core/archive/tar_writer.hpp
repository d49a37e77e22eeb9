#pragma once
/// POSIX.1-2001 pax interchange format (ustar headers, pax extended headers only when a name or
/// size needs one), written reproducibly: fixed mtime, uid/gid 0, no user/group names, mode 0644,
/// no atime/ctime; contents streamed from disk in fixed-size chunks.

#include "core/archive/byte_stream.hpp"

#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

struct archive;

namespace airlock::archive {

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
    /// `sha256` is not empty, hash to it (checked while copying; throws Error otherwise).
    void add_file(std::string_view name, const std::filesystem::path& source, std::uint64_t size,
                  std::string_view sha256 = {});

    /// Writes the end-of-archive blocks and finishes the sink.
    void finish();

  private:
    void header(std::string_view name, std::uint64_t size);
    void data(const void* bytes, std::size_t size);
    [[noreturn]] void fail(const std::string& what);

    ByteSink& sink_;
    struct ::archive* a_ = nullptr;
    std::int64_t mtime_;
    std::exception_ptr sink_error_;
    friend struct TarWriterCallbacks;
};

}  // namespace airlock::archive

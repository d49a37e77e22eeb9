#include "core/archive/tar_writer.hpp"

#include "core/archive/libarchive_error.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace airlock::archive {

struct TarWriterCallbacks {
    static la_ssize_t write(struct ::archive*, void* self, const void* buffer, size_t length) {
        auto* w = static_cast<TarWriter*>(self);
        try {
            w->sink_.write(buffer, length);
            return static_cast<la_ssize_t>(length);
        } catch (...) {
            w->sink_error_ = std::current_exception();
            return -1;
        }
    }
};

TarWriter::TarWriter(ByteSink& sink, std::int64_t mtime) : sink_(sink), mtime_(mtime) {
    a_ = archive_write_new();
    if (a_ == nullptr)
        throw Error("libarchive could not start a writer", Exit::internal);
    if (archive_write_set_format_pax_restricted(a_) != ARCHIVE_OK ||
        archive_write_add_filter_none(a_) != ARCHIVE_OK ||
        archive_write_open2(a_, this, nullptr, &TarWriterCallbacks::write, nullptr, nullptr) !=
            ARCHIVE_OK) {
        // The destructor does not run when the constructor throws: free the handle here.
        try {
            fail("cannot start the tar writer");
        } catch (...) {
            archive_write_free(a_);
            a_ = nullptr;
            throw;
        }
    }
}

TarWriter::~TarWriter() {
    if (a_ != nullptr)
        archive_write_free(a_);
}

void TarWriter::fail(const std::string& what) {
    throw_libarchive_error(a_, what, sink_error_);
}

void TarWriter::header(std::string_view name, std::uint64_t size) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                               &archive_entry_free);
    std::string n(name);
    archive_entry_set_pathname(e.get(), n.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e.get(), mtime_, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    if (archive_write_header(a_, e.get()) != ARCHIVE_OK) {
        fail("cannot write the tar header of " + quote(name));
    }
}

void TarWriter::data(const void* bytes, std::size_t size) {
    const char* p = static_cast<const char*>(bytes);
    while (size > 0) {
        la_ssize_t n = archive_write_data(a_, p, size);
        if (n <= 0)
            fail("cannot write to the archive");
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void TarWriter::add_bytes(std::string_view name, std::string_view bytes) {
    header(name, bytes.size());
    data(bytes.data(), bytes.size());
}

void TarWriter::add_file(std::string_view name, const std::filesystem::path& source,
                         std::uint64_t size, std::string_view sha256) {
    int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error("cannot open " + quote(source.string()) + ": " + std::strerror(errno));
    }
    std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { ::close(*f); });
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    header(name, size);
    digest::Sha256 hash;
    static constexpr std::size_t chunk = 1 << 20;
    std::vector<char> buffer(chunk);
    std::uint64_t copied = 0;
    while (copied < size) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, size - copied));
        ssize_t n = ::read(fd, buffer.data(), want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot read " + quote(source.string()) + ": " + std::strerror(errno));
        }
        if (n == 0) {
            throw Error(quote(source.string()) + " is " + std::to_string(copied) +
                        " bytes long, expected " + std::to_string(size));
        }
        if (!sha256.empty())
            hash.update(buffer.data(), static_cast<std::size_t>(n));
        data(buffer.data(), static_cast<std::size_t>(n));
        copied += static_cast<std::uint64_t>(n);
    }
    char probe;
    if (::read(fd, &probe, 1) > 0) {
        throw Error(quote(source.string()) + " is longer than the expected " +
                    std::to_string(size) + " bytes");
    }
    if (!sha256.empty()) {
        std::string got = hash.hex_digest();
        if (got != sha256) {
            throw Error("sha256 mismatch for " + quote(source.string()) + ": expected " +
                        std::string(sha256) + ", computed " + got)
                .with_hint("the cached file is damaged; delete it and fetch again");
        }
    }
}

void TarWriter::finish() {
    if (archive_write_close(a_) != ARCHIVE_OK)
        fail("cannot finish the archive");
    sink_.finish();
}

}  // namespace airlock::archive

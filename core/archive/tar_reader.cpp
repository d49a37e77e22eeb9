#include "core/archive/tar_reader.hpp"

#include "core/base/error.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace airlock::archive {

struct TarReaderCallbacks {
    static la_ssize_t read(struct ::archive*, void* self, const void** buffer) {
        auto* r = static_cast<TarReader*>(self);
        try {
            *buffer = r->buffer_.data();
            return static_cast<la_ssize_t>(r->source_.read(r->buffer_.data(), r->buffer_.size()));
        } catch (...) {
            r->source_error_ = std::current_exception();
            return -1;
        }
    }
};

TarReader::TarReader(ByteSource& source) : source_(source), buffer_(1 << 20) {
    a_ = archive_read_new();
    if (a_ == nullptr)
        throw Error("libarchive could not start a reader", Exit::internal);
    if (archive_read_support_format_tar(a_) != ARCHIVE_OK ||
        archive_read_support_filter_none(a_) != ARCHIVE_OK ||
        archive_read_open2(a_, this, nullptr, &TarReaderCallbacks::read, nullptr, nullptr) !=
            ARCHIVE_OK) {
        // The destructor does not run when the constructor throws: free the handle here.
        try {
            fail("not a tar archive");
        } catch (...) {
            archive_read_free(a_);
            a_ = nullptr;
            throw;
        }
    }
}

TarReader::~TarReader() {
    if (a_ != nullptr)
        archive_read_free(a_);
}

void TarReader::fail(const std::string& what) {
    // An exception from our own byte source (the real cause, e.g. a disk error) wins over
    // libarchive's text.
    if (source_error_)
        std::rethrow_exception(source_error_);
    const char* msg = archive_error_string(a_);
    throw Error(what + ": " + (msg != nullptr ? msg : "libarchive error"));
}

std::optional<TarEntry> TarReader::next() {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(a_, &e);
    if (rc == ARCHIVE_EOF)
        return std::nullopt;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        fail("the archive is damaged or truncated");
    TarEntry out;
    const char* path = archive_entry_pathname(e);
    out.path = path != nullptr ? path : "";
    out.size = archive_entry_size_is_set(e) ? static_cast<std::uint64_t>(archive_entry_size(e)) : 0;
    const char* hard = archive_entry_hardlink(e);
    const char* sym = archive_entry_symlink(e);
    if (hard != nullptr) {
        out.type = EntryType::hardlink;
        out.link_target = hard;
    } else {
        switch (archive_entry_filetype(e)) {
            case AE_IFREG:
                out.type = EntryType::file;
                break;
            case AE_IFDIR:
                out.type = EntryType::directory;
                break;
            case AE_IFLNK:
                out.type = EntryType::symlink;
                out.link_target = sym != nullptr ? sym : "";
                break;
            default:
                out.type = EntryType::other;
                break;
        }
    }
    if (archive_entry_sparse_count(e) > 0)
        out.type = EntryType::other;
    expected_offset_ = 0;
    return out;
}

std::span<const char> TarReader::read_block() {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(a_, &block, &size, &offset);
    if (rc == ARCHIVE_EOF)
        return {};
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        fail("the archive is damaged or truncated");
    if (offset != expected_offset_)
        fail("sparse or out-of-order data");
    expected_offset_ += static_cast<std::int64_t>(size);
    if (size == 0)
        return read_block();
    return {static_cast<const char*>(block), size};
}

}  // namespace airlock::archive

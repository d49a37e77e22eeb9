#include "core/archive/zip_reader.hpp"

#include "core/base/error.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace airlock::archive {

namespace {

std::string libarchive_message(struct ::archive* a) {
    const char* msg = archive_error_string(a);
    return msg != nullptr ? msg : "libarchive error";
}

}  // namespace

ZipReader::ZipReader(const std::filesystem::path& file) : file_(file) {
    a_ = archive_read_new();
    if (a_ == nullptr)
        throw Error("libarchive could not start a reader", Exit::internal);
    // The seekable reader walks the central directory: a zip cut short (its directory or end
    // record missing) is refused rather than read as far as its local headers go.
    if (archive_read_support_format_zip_seekable(a_) != ARCHIVE_OK ||
        archive_read_support_filter_none(a_) != ARCHIVE_OK ||
        archive_read_open_filename(a_, file.c_str(), 1 << 16) != ARCHIVE_OK) {
        std::string msg = libarchive_message(a_);
        archive_read_free(a_);
        a_ = nullptr;
        throw Error("cannot read " + quote(file.string()) + " as a zip archive: " + msg);
    }
}

ZipReader::~ZipReader() {
    if (a_ != nullptr)
        archive_read_free(a_);
}

void ZipReader::fail(const std::string& what) {
    throw Error(quote(file_.string()) + ": " + what + ": " + libarchive_message(a_));
}

std::optional<ZipEntry> ZipReader::next() {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(a_, &e);
    if (rc == ARCHIVE_EOF)
        return std::nullopt;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        fail("the zip archive is damaged or truncated");
    ZipEntry out;
    const char* path = archive_entry_pathname(e);
    out.path = path != nullptr ? path : "";
    out.size = archive_entry_size_is_set(e) ? static_cast<std::uint64_t>(archive_entry_size(e)) : 0;
    switch (archive_entry_filetype(e)) {
        case AE_IFREG:
            out.type = EntryType::file;
            break;
        case AE_IFDIR:
            out.type = EntryType::directory;
            break;
        case AE_IFLNK:
            out.type = EntryType::symlink;
            break;
        default:
            out.type = EntryType::other;
            break;
    }
    return out;
}

std::size_t ZipReader::EntrySource::read(void* data, std::size_t size) {
    la_ssize_t n = archive_read_data(owner_.a_, data, size);
    if (n < 0)
        owner_.fail("reading a member failed");
    return static_cast<std::size_t>(n);
}

struct Bzip2Callbacks {
    static la_ssize_t read(struct ::archive*, void* self, const void** buffer) {
        auto* s = static_cast<Bzip2Source*>(self);
        try {
            *buffer = s->buffer_.data();
            return static_cast<la_ssize_t>(s->inner_.read(s->buffer_.data(), s->buffer_.size()));
        } catch (...) {
            s->source_error_ = std::current_exception();
            return -1;
        }
    }
};

Bzip2Source::Bzip2Source(ByteSource& inner) : inner_(inner), buffer_(1 << 16, '\0') {
    if (archive_bzlib_version() == nullptr)
        throw Error("this libarchive was built without bzip2 support", Exit::internal);
    a_ = archive_read_new();
    if (a_ == nullptr)
        throw Error("libarchive could not start a reader", Exit::internal);
    archive_entry* e = nullptr;
    if (archive_read_support_format_raw(a_) != ARCHIVE_OK ||
        archive_read_support_filter_bzip2(a_) != ARCHIVE_OK ||
        archive_read_open2(a_, this, nullptr, &Bzip2Callbacks::read, nullptr, nullptr) !=
            ARCHIVE_OK ||
        archive_read_next_header(a_, &e) != ARCHIVE_OK ||
        archive_filter_code(a_, 0) != ARCHIVE_FILTER_BZIP2) {
        try {
            fail("not a bzip2 stream");
        } catch (...) {
            archive_read_free(a_);
            a_ = nullptr;
            throw;
        }
    }
}

Bzip2Source::~Bzip2Source() {
    if (a_ != nullptr)
        archive_read_free(a_);
}

void Bzip2Source::fail(const std::string& what) {
    if (source_error_)
        std::rethrow_exception(source_error_);
    throw Error(what + ": " + libarchive_message(a_));
}

std::size_t Bzip2Source::read(void* data, std::size_t size) {
    la_ssize_t n = archive_read_data(a_, data, size);
    if (n < 0)
        fail("the bzip2 stream is damaged or truncated");
    return static_cast<std::size_t>(n);
}

}  // namespace airlock::archive

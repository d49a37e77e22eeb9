#include "core/archive/tar_reader.hpp"

#include "core/base/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <utility>

namespace airlock::archive {

struct TarReaderCallbacks {
    static la_ssize_t read(struct ::archive*, void* self, const void** buffer) {
        auto* r = static_cast<TarReader*>(self);
        try {
            r->current_ ^= 1;
            auto& b = r->buffers_[r->current_];
            r->filled_[r->current_] = r->fill(b.data());
            r->given_ += r->filled_[r->current_];
            *buffer = b.data();
            return static_cast<la_ssize_t>(r->filled_[r->current_]);
        } catch (...) {
            r->source_error_ = std::current_exception();
            return -1;
        }
    }
};

constexpr std::size_t buffer_size = 1 << 20;

TarReader::TarReader(ByteSource& source)
    : source_(source), buffers_{std::vector<char>(buffer_size), std::vector<char>(buffer_size)} {
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

std::size_t TarReader::fill(char* buffer) {
    if (pending_error_)
        std::rethrow_exception(std::exchange(pending_error_, nullptr));
    std::size_t got = 0;
    while (got < buffer_size) {
        std::size_t n = 0;
        try {
            n = source_.read(buffer + got, buffer_size - got);
        } catch (const Error& e) {
            // Bytes read before the failure are handed out first, so a damaged stream after the
            // end-of-archive marker is reported there, not against the last entry.
            if (got == 0 || e.exit() == Exit::interrupted)
                throw;
            pending_error_ = std::current_exception();
            break;
        }
        if (n == 0)
            break;
        got += n;
    }
    return got;
}

std::optional<TarEntry> TarReader::next() {
    archive_entry* e = nullptr;
    std::int64_t header_at = archive_filter_bytes(a_, 0);
    int rc = archive_read_next_header(a_, &e);
    if (rc == ARCHIVE_EOF) {
        at_end_ = true;
        end_marker_bytes_ = static_cast<std::uint64_t>(archive_filter_bytes(a_, 0) - header_at);
        return std::nullopt;
    }
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        fail("the archive is damaged or truncated");
    TarEntry out;
    const char* path = archive_entry_pathname(e);
    out.path = path != nullptr ? path : "";
    if (rc == ARCHIVE_WARN) {
        const char* msg = archive_error_string(a_);
        std::string text = msg != nullptr ? msg : "libarchive warning";
        // libarchive warns and goes on where GNU tar stops: a pax record it could not parse
        // would silently drop the path or size it was meant to set.
        if (text.find("pax") != std::string::npos || text.find("Pax") != std::string::npos) {
            throw Error("the pax extended header of the entry " + quote(out.path) + " at offset " +
                        std::to_string(header_at) + " is malformed: " + text);
        }
    }
    out.size = archive_entry_size_is_set(e) ? static_cast<std::uint64_t>(archive_entry_size(e)) : 0;
    out.mode = static_cast<std::uint32_t>(archive_entry_perm(e));
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

std::uint64_t TarReader::end_offset() const {
    return static_cast<std::uint64_t>(archive_filter_bytes(a_, 0));
}

std::optional<std::uint64_t> TarReader::data_after_end() {
    if (!at_end_)
        throw Error("data_after_end() before the end of the archive", Exit::internal);
    const std::uint64_t end = end_offset();
    // What libarchive was handed but did not consume: the tail of the previous buffer (when its
    // last read straddled two) and of the current one.
    std::uint64_t unread = given_ - end;
    const int cur = current_;
    const int prev = cur ^ 1;
    if (unread > filled_[cur] + filled_[prev]) {
        throw Error(
            "cannot check the end of the archive: libarchive read further ahead than "
            "expected",
            Exit::internal);
    }
    auto nonzero = [](const char* data, std::size_t size) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < size; ++i) {
            if (data[i] != 0)
                return i;
        }
        return std::nullopt;
    };
    std::uint64_t at = end;
    if (unread > filled_[cur]) {
        auto from_prev = static_cast<std::size_t>(unread - filled_[cur]);
        if (auto i = nonzero(buffers_[prev].data() + filled_[prev] - from_prev, from_prev))
            return at + *i;
        at += from_prev;
        unread -= from_prev;
    }
    auto rest = static_cast<std::size_t>(unread);
    if (auto i = nonzero(buffers_[cur].data() + filled_[cur] - rest, rest))
        return at + *i;
    at += rest;
    for (std::size_t n = fill(buffers_[cur].data()); n > 0; n = fill(buffers_[cur].data())) {
        if (auto i = nonzero(buffers_[cur].data(), n))
            return at + *i;
        at += n;
    }
    return std::nullopt;
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

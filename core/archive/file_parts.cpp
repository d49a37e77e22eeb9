#include "core/archive/file_parts.hpp"

#include "core/base/error.hpp"
#include "core/base/stale_temp.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace airlock::archive {
namespace fs = std::filesystem;

namespace {

/// Writes of at least this many bytes bypass the buffer (which holds up to buffer_size).
constexpr std::size_t write_through_size = 64 * 1024;
constexpr std::size_t buffer_size = 1 << 20;

std::string errno_text() {
    return std::strerror(errno);
}

/// `BASE` when `path` is `BASE.partNNN`.
std::optional<fs::path> strip_part_suffix(const fs::path& path) {
    std::string s = path.string();
    auto dot = s.rfind(".part");
    if (dot == std::string::npos)
        return std::nullopt;
    auto digits = std::string_view(s).substr(dot + 5);
    if (digits.size() < 3)
        return std::nullopt;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    return fs::path(s.substr(0, dot));
}

}  // namespace

fs::path part_path(const fs::path& base, std::size_t index) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".part%03zu", index);
    return fs::path(base.string() + suffix);
}

std::vector<fs::path> find_parts(const fs::path& path) {
    std::error_code ec;
    fs::path base = path;
    if (auto stripped = strip_part_suffix(path)) {
        base = *stripped;
    } else if (fs::is_regular_file(path, ec)) {
        return {path};
    }
    if (!fs::exists(part_path(base, 0), ec)) {
        throw Error("no bundle at " + quote(path.string()) + " (neither the file nor " +
                    quote(part_path(base, 0).string()) + " exists)");
    }
    std::vector<fs::path> parts;
    for (std::size_t i = 0; fs::exists(part_path(base, i), ec); ++i) {
        parts.push_back(part_path(base, i));
    }
    // A part after a gap means one in the middle is missing: reading on would look truncated.
    fs::path dir = base.parent_path().empty() ? fs::path(".") : base.parent_path();
    std::string prefix = base.filename().string() + ".part";
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        std::string digits = name.substr(prefix.size());
        if (digits.size() < 3 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
            continue;
        std::size_t index = std::stoull(digits);
        if (index >= parts.size()) {
            throw Error("bundle part " + quote(part_path(base, parts.size()).string()) +
                        " is missing, but " + quote(entry.path().string()) + " exists")
                .with_hint("copy every part of the bundle into the same directory");
        }
    }
    return parts;
}

PartsSink::PartsSink(fs::path dest, std::optional<std::uint64_t> split_size)
    : dest_(std::move(dest)), split_size_(split_size) {
    if (split_size_ && *split_size_ == 0) {
        throw Error("the split size must be greater than 0", Exit::usage);
    }
    buffer_.reserve(buffer_size);
    open_next();
}

PartsSink::~PartsSink() {
    if (fd_ >= 0)
        ::close(fd_);
    if (!committed_) {
        for (const auto& t : temps_)
            ::unlink(t.c_str());
    }
    for (int lock : locks_)
        ::close(lock);
}

void PartsSink::open_next() {
    fs::path final_path = split_size_ ? part_path(dest_, temps_.size()) : dest_;
    // What a writer killed before its rename left here (no process holds it) goes first.
    remove_stale_temps(final_path);
    fs::path tmpl;
    int fd = create_locked_temp(final_path, tmpl);
    if (fd < 0) {
        throw Error("cannot create a temporary file next to " + quote(final_path.string()) + ": " +
                    errno_text());
    }
    ::fchmod(fd, 0644);
    fd_ = fd;
    temps_.emplace_back(tmpl);
    int lock = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (lock >= 0)
        locks_.push_back(lock);
    in_part_ = 0;
}

void PartsSink::close_current() {
    if (fd_ < 0)
        return;
    // No fsync: the rename keeps readers from ever seeing half a bundle, and a bundle damaged by
    // a power cut cannot get past airlock-install, which verifies every byte against the signed
    // manifest. Syncing gigabytes here would cost as much as writing them
    // (tests/bench/bundle_bench.py).
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw Error("cannot write " + quote(temps_.back().string()) + ": " + errno_text());
    }
    fd_ = -1;
}

void PartsSink::write(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    if (size < write_through_size) {
        // Small writes (tar headers, padding, small files) are gathered into large ones.
        if (buffer_.size() + size > buffer_size)
            flush_buffer();
        buffer_.insert(buffer_.end(), p, p + size);
        return;
    }
    // Large ones go to the file as they are, after what is gathered, in one writev: no copy.
    write_through(buffer_.data(), buffer_.size(), p, size);
    buffer_.clear();
}

void PartsSink::flush_buffer() {
    if (buffer_.empty())
        return;
    write_through(buffer_.data(), buffer_.size(), nullptr, 0);
    buffer_.clear();
}

void PartsSink::write_through(const char* a, std::size_t a_size, const char* b,
                              std::size_t b_size) {
    while (a_size + b_size > 0) {
        if (split_size_ && in_part_ == *split_size_) {
            close_current();
            open_next();
        }
        std::uint64_t room = split_size_ ? *split_size_ - in_part_ : UINT64_MAX;
        iovec iov[2];
        int count = 0;
        std::size_t from_a = static_cast<std::size_t>(std::min<std::uint64_t>(a_size, room));
        if (from_a > 0)
            iov[count++] = {const_cast<char*>(a), from_a};
        std::size_t from_b =
            static_cast<std::size_t>(std::min<std::uint64_t>(b_size, room - from_a));
        if (from_b > 0)
            iov[count++] = {const_cast<char*>(b), from_b};
        ssize_t w = ::writev(fd_, iov, count);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot write " + quote(temps_.back().string()) + ": " + errno_text())
                .with_hint("check the free space on the destination");
        }
        std::size_t done = static_cast<std::size_t>(w);
        std::size_t done_a = std::min(done, a_size);
        a += done_a;
        a_size -= done_a;
        b += done - done_a;
        b_size -= done - done_a;
        in_part_ += done;
        total_ += done;
    }
}

void PartsSink::finish() {
    flush_buffer();
    close_current();
}

std::vector<fs::path> PartsSink::commit() {
    flush_buffer();
    close_current();
    std::vector<fs::path> finals;
    for (std::size_t i = 0; i < temps_.size(); ++i) {
        fs::path final_path = split_size_ ? part_path(dest_, i) : dest_;
        if (::rename(temps_[i].c_str(), final_path.c_str()) != 0) {
            throw Error("cannot rename " + quote(temps_[i].string()) + " to " +
                        quote(final_path.string()) + ": " + errno_text());
        }
        finals.push_back(final_path);
    }
    committed_ = true;
    // Parts left over from an earlier, bigger build of the same name would be read as ours.
    for (std::size_t i = split_size_ ? temps_.size() : 0;; ++i) {
        fs::path stale = part_path(dest_, i);
        if (::unlink(stale.c_str()) != 0)
            break;
    }
    if (split_size_)
        ::unlink(dest_.c_str());
    return finals;
}

PartsSource::PartsSource(std::vector<fs::path> parts) : parts_(std::move(parts)) {
    if (parts_.empty())
        throw Error("no input files", Exit::internal);
}

PartsSource::~PartsSource() {
    if (fd_ >= 0)
        ::close(fd_);
}

const fs::path& PartsSource::current() const {
    return parts_[std::min(index_, parts_.size() - 1)];
}

std::size_t PartsSource::read(void* data, std::size_t size) {
    while (index_ < parts_.size()) {
        if (fd_ < 0) {
            fd_ = ::open(parts_[index_].c_str(), O_RDONLY | O_CLOEXEC);
            if (fd_ < 0) {
                throw Error("cannot open " + quote(parts_[index_].string()) + ": " + errno_text());
            }
            ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
        }
        ssize_t n = ::read(fd_, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot read " + quote(parts_[index_].string()) + ": " + errno_text());
        }
        if (n > 0)
            return static_cast<std::size_t>(n);
        ::close(fd_);
        fd_ = -1;
        ++index_;
    }
    return 0;
}

}  // namespace airlock::archive

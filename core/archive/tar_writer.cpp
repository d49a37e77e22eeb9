#include "core/archive/tar_writer.hpp"

#include "core/archive/hasher_thread.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>

namespace airlock::archive {
namespace {

constexpr std::size_t block = 512;
constexpr std::size_t record = 20 * block;  // tar's traditional record: the archive ends on one
constexpr std::uint64_t max_octal_size = 077777777777ULL;  // 11 octal digits
/// Files are read and written in chunks of this size; the hasher's ring holds `ring_slots` of
/// them (8 MiB of memory): the writer runs up to that far ahead of the hasher, and each side
/// sleeps and wakes once per half ring (hasher_thread.cpp), not once per chunk.
constexpr std::size_t chunk_size = 1 << 20;
constexpr std::size_t ring_slots = 8;

using Header = std::array<char, block>;

/// `value` as `width - 1` zero-padded octal digits and a NUL.
void put_octal(Header& h, std::size_t offset, std::size_t width, std::uint64_t value) {
    for (std::size_t i = width - 1; i-- > 0;) {
        h[offset + i] = static_cast<char>('0' + (value & 7));
        value >>= 3;
    }
    h[offset + width - 1] = '\0';
}

void put_text(Header& h, std::size_t offset, std::string_view text) {
    if (!text.empty())  // an empty view may hold a null pointer, which memcpy must not get
        std::memcpy(h.data() + offset, text.data(), text.size());
}

/// One pax record, "<length> <key>=<value>\n", where <length> counts itself.
std::string pax_record(std::string_view key, std::string_view value) {
    std::size_t rest = key.size() + value.size() + 3;  // ' ', '=', '\n'
    std::size_t length = rest + 1;
    while (std::to_string(length).size() + rest != length)
        length = std::to_string(length).size() + rest;
    return std::to_string(length) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

/// Splits `name` into the ustar prefix (≤ 155) and name (≤ 100) fields at a '/', if it can.
bool split_ustar_name(std::string_view name, std::string_view& prefix, std::string_view& rest) {
    if (name.size() <= 100) {
        prefix = {};
        rest = name;
        return true;
    }
    for (std::size_t slash = name.find('/'); slash != std::string_view::npos;
         slash = name.find('/', slash + 1)) {
        if (slash <= 155 && name.size() - slash - 1 <= 100 && slash + 1 < name.size()) {
            prefix = name.substr(0, slash);
            rest = name.substr(slash + 1);
            return true;
        }
    }
    return false;
}

bool is_ascii(std::string_view text) {
    for (unsigned char c : text) {
        if (c >= 0x80 || c == 0)
            return false;
    }
    return true;
}

}  // namespace

TarWriter::TarWriter(ByteSink& sink, std::int64_t mtime) : sink_(sink), mtime_(mtime) {
    if (mtime_ < 0 || static_cast<std::uint64_t>(mtime_) > max_octal_size)
        throw Error("the archive time " + std::to_string(mtime_) + " is out of range",
                    Exit::internal);
}

TarWriter::~TarWriter() = default;

void TarWriter::write(const void* bytes, std::size_t size) {
    if (size == 0)
        return;
    sink_.write(bytes, size);
    written_ += size;
}

void TarWriter::pad() {
    static const std::array<char, block> zeros{};
    std::size_t tail = static_cast<std::size_t>(written_ % block);
    if (tail != 0)
        write(zeros.data(), block - tail);
}

void TarWriter::raw_header(std::string_view prefix, std::string_view name, std::uint64_t size,
                           char type) {
    Header h{};
    put_text(h, 0, name);
    put_octal(h, 100, 8, 0644);
    put_octal(h, 108, 8, 0);
    put_octal(h, 116, 8, 0);
    put_octal(h, 124, 12, std::min(size, max_octal_size));
    put_octal(h, 136, 12, static_cast<std::uint64_t>(mtime_));
    h[156] = type;
    put_text(h, 257,
             std::string_view("ustar\0"
                              "00",
                              8));
    put_octal(h, 329, 8, 0);
    put_octal(h, 337, 8, 0);
    put_text(h, 345, prefix);
    // The checksum is computed with its own field read as eight spaces.
    std::memset(h.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    put_octal(h, 148, 7, sum);
    h[155] = ' ';
    write(h.data(), h.size());
}

void TarWriter::header(std::string_view name, std::uint64_t size) {
    if (name.empty())
        throw Error("an archive entry needs a name", Exit::internal);
    std::string_view prefix;
    std::string_view rest;
    bool fits = is_ascii(name) && split_ustar_name(name, prefix, rest);
    std::string pax;
    if (!fits)
        pax += pax_record("path", name);
    if (size > max_octal_size)
        pax += pax_record("size", std::to_string(size));
    if (!pax.empty()) {
        // A pax extended header describing the entry that follows (POSIX.1-2001).
        std::string base(name.substr(name.rfind('/') + 1));
        std::string ext_name =
            "PaxHeader/" + base.substr(0, std::min<std::size_t>(base.size(), 90));
        if (!is_ascii(ext_name))
            ext_name = "PaxHeader/entry";
        raw_header({}, ext_name, pax.size(), 'x');
        write(pax.data(), pax.size());
        pad();
        if (!fits) {
            // The ustar fields keep a readable, truncated name for tools without pax support.
            rest = name.substr(name.size() > 100 ? name.size() - 100 : 0);
            prefix = {};
            if (!is_ascii(rest))
                rest = "entry";
        }
    }
    raw_header(prefix, rest, size, '0');
}

void TarWriter::add_bytes(std::string_view name, std::string_view bytes) {
    header(name, bytes.size());
    write(bytes.data(), bytes.size());
    pad();
}

namespace {

/// Reads up to `want` bytes of `source` (open as `fd`, `copied` bytes read so far, `size`
/// expected) into `into`; never 0: a file shorter than expected is an error.
std::size_t read_chunk(int fd, const std::filesystem::path& source, char* into, std::size_t want,
                       std::uint64_t copied, std::uint64_t size) {
    for (;;) {
        ssize_t n = ::read(fd, into, want);
        if (n > 0)
            return static_cast<std::size_t>(n);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error("cannot read " + quote(source.string()) + ": " + std::strerror(errno));
        throw Error(quote(source.string()) + " is " + std::to_string(copied) +
                    " bytes long, expected " + std::to_string(size));
    }
}

}  // namespace

void TarWriter::add_file(std::string_view name, const std::filesystem::path& source,
                         std::uint64_t size, std::string_view sha256) {
    int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error("cannot open " + quote(source.string()) + ": " + std::strerror(errno));
    }
    std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { ::close(*f); });
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    header(name, size);
    // A file of more than one chunk is hashed on a second thread while this one writes it: each
    // chunk is read once into a buffer of the hasher's ring, handed to the hasher, and written
    // from that same buffer (the bytes written are the bytes hashed). Smaller files, and files
    // without a hash to check, are copied here through one buffer.
    const bool check = !sha256.empty();
    const bool threaded = check && size > chunk_size;
    if (threaded && !hasher_)
        hasher_ = std::make_unique<HasherThread>(ring_slots, chunk_size);
    if (!threaded && buffer_.empty())
        buffer_.resize(chunk_size);
    digest::Sha256 inline_hash;
    std::string got;
    try {
        std::uint64_t copied = 0;
        while (copied < size) {
            std::span<char> buffer = threaded ? hasher_->next_buffer() : std::span<char>(buffer_);
            std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - copied));
            std::size_t n = read_chunk(fd, source, buffer.data(), want, copied, size);
            if (threaded)
                hasher_->hash(n);
            else if (check)
                inline_hash.update(buffer.data(), n);
            write(buffer.data(), n);
            copied += n;
        }
        if (check)
            got = threaded ? hasher_->hex_digest() : inline_hash.hex_digest();
    } catch (...) {
        // The hasher may hold part of this file: the next file starts with a fresh one.
        hasher_.reset();
        throw;
    }
    char probe;
    if (::read(fd, &probe, 1) > 0) {
        throw Error(quote(source.string()) + " is longer than the expected " +
                    std::to_string(size) + " bytes");
    }
    if (check && got != sha256) {
        throw Error("sha256 mismatch for " + quote(source.string()) + ": expected " +
                    std::string(sha256) + ", computed " + got)
            .with_hint("the cached file is damaged; delete it and fetch again");
    }
    pad();
}

void TarWriter::finish() {
    // Two zero blocks end the archive; zeros then fill the last record.
    static const std::array<char, block> zeros{};
    write(zeros.data(), block);
    write(zeros.data(), block);
    while (written_ % record != 0)
        write(zeros.data(), block);
    sink_.finish();
}

}  // namespace airlock::archive

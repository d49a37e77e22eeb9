#include "core/bundle/self_extracting.hpp"

#include "core/base/error.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

namespace airlock::bundle {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view magic = "airlock-sfx-v1\r\n";
static_assert(magic.size() == 16);
constexpr std::uint64_t min_prefix = sizeof(Elf64_Ehdr);

void put_u64(char* out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_u64(const char* in) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(in[i]);
    return v;
}

class Fd {
  public:
    explicit Fd(const fs::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (fd_ < 0)
            throw Error("cannot open " + quote(path.string()) + ": " + std::strerror(errno));
    }
    ~Fd() { ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

/// Reads exactly `size` bytes at `offset`; throws naming `path` when the file is shorter.
void pread_exact(int fd, const fs::path& path, void* data, std::size_t size, std::uint64_t offset) {
    auto* p = static_cast<char*>(data);
    while (size > 0) {
        ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error("cannot read " + quote(path.string()) + ": " + std::strerror(errno));
        if (n == 0)
            throw Error(quote(path.string()) + " is shorter than its trailer says");
        p += n;
        size -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

}  // namespace

std::array<char, sfx_trailer_size> encode_sfx_trailer(const EmbeddedBundle& embedded) {
    std::array<char, sfx_trailer_size> t{};
    put_u64(t.data(), embedded.offset);
    put_u64(t.data() + 8, embedded.length);
    std::memcpy(t.data() + 16, embedded.sha256.data(), 32);
    std::memcpy(t.data() + 48, magic.data(), magic.size());
    return t;
}

std::optional<EmbeddedBundle> find_embedded_bundle(const fs::path& file) {
    Fd fd(file);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size < sfx_trailer_size)
        return std::nullopt;
    std::array<char, sfx_trailer_size> t{};
    pread_exact(fd.get(), file, t.data(), t.size(), size - sfx_trailer_size);
    if (std::string_view(t.data() + 48, magic.size()) != magic)
        return std::nullopt;
    EmbeddedBundle e;
    e.offset = get_u64(t.data());
    e.length = get_u64(t.data() + 8);
    std::memcpy(e.sha256.data(), t.data() + 16, 32);
    auto fail = [&](const std::string& why) {
        return Error(quote(file.string()) + " ends with a self-extracting trailer that " + why +
                     " (offset " + std::to_string(e.offset) + ", length " +
                     std::to_string(e.length) + ", file size " + std::to_string(size) + ")")
            .with_hint("the file is damaged: copy it again");
    };
    // offset + length + trailer == size, written so that nothing can overflow.
    std::uint64_t before = size - sfx_trailer_size;
    if (e.offset < min_prefix || e.offset > before || e.length != before - e.offset ||
        e.length == 0)
        throw fail("does not fit the file");
    char elf[SELFMAG];
    pread_exact(fd.get(), file, elf, SELFMAG, 0);
    if (std::memcmp(elf, ELFMAG, SELFMAG) != 0)
        throw fail("follows no program");
    return e;
}

EmbeddedBundleSource::EmbeddedBundleSource(fs::path file, EmbeddedBundle embedded)
    : file_(std::move(file)), embedded_(embedded) {
    fd_ = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
        throw Error("cannot open " + quote(file_.string()) + ": " + std::strerror(errno));
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    // The installer part is hashed up front (a few MB): it is not part of the stream.
    std::vector<char> buffer(1 << 20);
    for (std::uint64_t at = 0; at < embedded_.offset;) {
        auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), embedded_.offset - at));
        pread_exact(fd_, file_, buffer.data(), n, at);
        hash_.update(buffer.data(), n);
        at += n;
    }
}

EmbeddedBundleSource::~EmbeddedBundleSource() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::size_t EmbeddedBundleSource::read(void* data, std::size_t size) {
    std::uint64_t left = embedded_.length - position_;
    if (left == 0) {
        if (!checked_) {
            checked_ = true;
            if (hash_.digest() != embedded_.sha256) {
                throw Error(quote(file_.string()) +
                            " is damaged: its sha256 differs from the one in its trailer")
                    .with_hint("copy the file again; check it with an airlock-install you trust");
            }
        }
        return 0;
    }
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, left));
    pread_exact(fd_, file_, data, n, embedded_.offset + position_);
    hash_.update(data, n);
    position_ += n;
    return n;
}

SelfExtractingSink::SelfExtractingSink(archive::ByteSink& out, const fs::path& installer)
    : out_(out) {
    check_static_installer(installer);
    Fd fd(installer);
    std::vector<char> buffer(1 << 20);
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error("cannot read " + quote(installer.string()) + ": " + std::strerror(errno));
        if (n == 0)
            break;
        out_.write(buffer.data(), static_cast<std::size_t>(n));
        hash_.update(buffer.data(), static_cast<std::size_t>(n));
        embedded_.offset += static_cast<std::uint64_t>(n);
    }
}

void SelfExtractingSink::write(const void* data, std::size_t size) {
    out_.write(data, size);
    hash_.update(data, size);
    embedded_.length += size;
}

void SelfExtractingSink::finish() {
    embedded_.sha256 = hash_.digest();
    auto trailer = encode_sfx_trailer(embedded_);
    out_.write(trailer.data(), trailer.size());
    out_.finish();
}

void check_static_installer(const fs::path& installer) {
    Fd fd(installer);
    Elf64_Ehdr eh{};
    auto bad = [&](const std::string& why) {
        return Error(quote(installer.string()) + " " + why)
            .with_hint(
                "a self-extracting bundle needs the static installer: build it with "
                "-DAIRLOCK_STATIC_INSTALLER=ON (build/bin/airlock-install-static) or pass "
                "--installer");
    };
    if (::pread(fd.get(), &eh, sizeof eh, 0) != static_cast<ssize_t>(sizeof eh) ||
        std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64)
        throw bad("is not a 64-bit ELF program");
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        throw bad("is not an executable");
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        auto at = static_cast<off_t>(eh.e_phoff + std::uint64_t{i} * eh.e_phentsize);
        if (::pread(fd.get(), &ph, sizeof ph, at) != static_cast<ssize_t>(sizeof ph))
            throw bad("has a truncated program header");
        if (ph.p_type == PT_INTERP)
            throw bad("is dynamically linked (it names a program interpreter)");
    }
}

}  // namespace airlock::bundle

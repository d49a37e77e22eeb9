#include "installer/install/tree_copy.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void system_error(const std::string& what, const fs::path& path) {
    throw Error(what + " " + quote(path.string()) + ": " + std::strerror(errno));
}

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

void copy_contents(int in, int out, std::uint64_t size, const fs::path& to) {
    std::uint64_t done = 0;
    bool plain = false;  // copy_file_range refused (another filesystem type): read/write
    std::vector<char> buf;
    while (done < size) {
        if (!plain) {
            ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, size - done, 0);
            if (n > 0) {
                done += static_cast<std::uint64_t>(n);
                continue;
            }
            if (n == 0)
                break;
            if (errno == EINTR)
                continue;
            if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                system_error("cannot write", to);
            plain = true;
            buf.resize(1 << 16);
        }
        ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            system_error("cannot read the original of", to);
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                system_error("cannot write", to);
            off += w;
        }
        done += static_cast<std::uint64_t>(n);
    }
}

void keep_metadata(const fs::path& to, const struct stat& st, bool symlink) {
    if (::geteuid() == 0)
        (void)::lchown(to.c_str(), st.st_uid, st.st_gid);
    if (!symlink && ::chmod(to.c_str(), st.st_mode & 07777) != 0)
        system_error("cannot set the mode of", to);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        system_error("cannot set the time of", to);
}

class Copier {
  public:
    CopiedTree copied;

    void copy(const fs::path& from, const fs::path& to) {
        struct stat st {};
        if (::lstat(from.c_str(), &st) != 0)
            system_error("cannot read", from);
        if (S_ISDIR(st.st_mode)) {
            if (::mkdir(to.c_str(), 0700) != 0)
                system_error("cannot create the directory", to);
            std::error_code ec;
            std::vector<fs::path> names;
            for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec))
                names.push_back(it->path().filename());
            if (ec)
                throw Error("cannot read " + quote(from.string()) + ": " + ec.message());
            for (const auto& n : names)
                copy(from / n, to / n);
            keep_metadata(to, st, false);
        } else if (S_ISLNK(st.st_mode)) {
            std::error_code ec;
            auto target = fs::read_symlink(from, ec);
            if (ec)
                throw Error("cannot read the symlink " + quote(from.string()) + ": " +
                            ec.message());
            if (::symlink(target.c_str(), to.c_str()) != 0)
                system_error("cannot create the symlink", to);
            keep_metadata(to, st, true);
        } else if (S_ISREG(st.st_mode)) {
            if (st.st_nlink > 1) {
                auto [it, fresh] = links_.try_emplace({st.st_dev, st.st_ino}, to);
                if (!fresh) {
                    if (::link(it->second.c_str(), to.c_str()) != 0)
                        system_error("cannot create the hard link", to);
                    return;
                }
            }
            Fd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
            if (in.get() < 0)
                system_error("cannot open", from);
            Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            if (out.get() < 0)
                system_error("cannot create", to);
            copy_contents(in.get(), out.get(), static_cast<std::uint64_t>(st.st_size), to);
            if (::close(out.release()) != 0)
                system_error("cannot write", to);
            keep_metadata(to, st, false);
            ++copied.files;
            copied.bytes += static_cast<std::uint64_t>(st.st_size);
        } else {
            throw Error("cannot copy " + quote(from.string()) +
                        ": not a regular file, directory or symlink (a device, FIFO or socket)");
        }
    }

  private:
    std::map<std::pair<dev_t, ino_t>, fs::path> links_;
};

}  // namespace

CopiedTree copy_tree(const fs::path& from, const fs::path& to) {
    Copier c;
    c.copy(from, to);
    return c.copied;
}

}  // namespace airlock::install

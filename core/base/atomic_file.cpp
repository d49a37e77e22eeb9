#include "core/base/atomic_file.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace airlock {
namespace {

Error write_error(const std::string& what, const std::filesystem::path& path, int error) {
    return Error("cannot " + what + " " + quote(path.string()) + ": " + std::strerror(error))
        .with_hint("check that the directory exists, is writable and has free space");
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                           const AtomicWrite& how) {
    if (how.overwrite == Overwrite::no && ::access(path.c_str(), F_OK) == 0) {
        throw Error(quote(path.string()) + " already exists")
            .with_hint("choose another name, or pass --force to replace it");
    }
    auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (how.parents == Parents::create) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);  // a failure shows up at mkstemp below
    }
    std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(temp.data());  // created 0600, so a secret is never readable by others
    if (fd < 0)
        throw write_error("create a temporary file for", path, errno);

    int error = 0;
    if (::fchmod(fd, how.mode) != 0)
        error = errno;
    std::size_t done = 0;
    while (error == 0 && done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            error = n < 0 ? errno : EIO;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (error == 0 && how.durability == Durability::fsync && ::fsync(fd) != 0)
        error = errno;
    if (::close(fd) != 0 && error == 0)
        error = errno;
    if (error != 0) {
        ::unlink(temp.c_str());
        throw write_error("write", path, error);
    }
    if (how.overwrite == Overwrite::no) {
        // link() fails when `path` appeared meanwhile: never replace what another writer made.
        if (::link(temp.c_str(), path.c_str()) != 0) {
            error = errno;
            ::unlink(temp.c_str());
            if (error == EEXIST)
                throw Error(quote(path.string()) + " already exists");
            throw write_error("create", path, error);
        }
        ::unlink(temp.c_str());
        return;
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        error = errno;
        ::unlink(temp.c_str());
        throw write_error("replace", path, error);
    }
}

}  // namespace airlock

#include "core/base/stale_temp.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace airlock {
namespace {

std::string temp_prefix(const std::filesystem::path& destination) {
    return "." + destination.filename().string() + ".tmp-";
}

}  // namespace

int create_locked_temp(const std::filesystem::path& destination, std::filesystem::path& path) {
    std::string templ =
        (destination.parent_path() / (temp_prefix(destination) + "XXXXXX")).string();
    int fd = ::mkostemp(templ.data(), O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        ::close(fd);
        ::unlink(templ.c_str());
        errno = error;
        return -1;
    }
    path = templ;
    return fd;
}

std::size_t remove_stale_temps(const std::filesystem::path& destination) {
    const auto prefix = temp_prefix(destination);
    auto dir =
        destination.parent_path().empty() ? std::filesystem::path(".") : destination.parent_path();
    std::size_t removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        int fd = ::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct stat st {};
        bool stale = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
                     ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        // Unlinked while still locked, so no new writer can have taken this name meanwhile.
        if (stale && ::unlink(it->path().c_str()) == 0)
            ++removed;
        ::close(fd);
    }
    return removed;
}

}  // namespace airlock

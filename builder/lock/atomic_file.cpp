#include "builder/lock/atomic_file.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace airlock::lock {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    auto fail = [&](const std::string& what) {
        return Error("cannot " + what + " " + quote(path.string()) + ": " + std::strerror(errno))
            .with_hint("check that the directory exists and is writable");
    };
    std::string temp = path.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(temp.data());
    if (fd < 0)
        throw fail("create a temporary file for");
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            auto e = fail("write");
            ::close(fd);
            ::unlink(temp.c_str());
            throw e;
        }
        done += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto e = fail("write");
        ::unlink(temp.c_str());
        throw e;
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        auto e = fail("replace");
        ::unlink(temp.c_str());
        throw e;
    }
}

}  // namespace airlock::lock

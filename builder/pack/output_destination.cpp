#include "builder/pack/output_destination.hpp"

#include "core/base/error.hpp"
#include "core/base/human_size.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace airlock::pack {
namespace fs = std::filesystem;

namespace {

fs::path directory_of(const fs::path& output) {
    auto dir = fs::absolute(output).lexically_normal().parent_path();
    return dir.empty() ? fs::current_path() : dir;
}

}  // namespace

std::unique_ptr<CreatedParents> prepare_output(const fs::path& output) {
    std::error_code ec;
    if (output.empty())
        throw Error("the output path is empty", Exit::usage);
    if (fs::is_directory(output, ec)) {
        throw Error(quote(output.string()) + " is a directory; -o names the bundle file to write")
            .with_hint("write it inside, e.g. -o " + (output / "NAME.bundle").string());
    }
    const fs::path dir = directory_of(output);
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
        throw Error("the bundle's directory " + quote(dir.string()) + " is not a directory")
            .with_hint("choose another -o");
    }
    auto created = std::make_unique<CreatedParents>(dir, "the bundle");
    // An unnamed file (O_TMPFILE) proves the directory writable and leaves nothing behind even
    // when the build is killed right here; a named probe only where the filesystem lacks it.
    if (const int tmp = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600); tmp >= 0) {
        ::close(tmp);
        return created;
    } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
        const std::string reason = std::strerror(errno);
        throw Error("cannot write the bundle into " + quote(dir.string()) + ": " + reason)
            .with_hint("choose an -o in a directory you can write to, or fix its permissions");
    }
    const std::string probe_template = (dir / ".airlock-write-test-XXXXXX").string();
    std::string probe = probe_template;
    const int fd = ::mkstemp(probe.data());
    if (fd < 0) {
        const std::string reason = std::strerror(errno);
        throw Error("cannot write the bundle into " + quote(dir.string()) + ": " + reason)
            .with_hint("choose an -o in a directory you can write to, or fix its permissions");
    }
    ::close(fd);
    ::unlink(probe.c_str());
    return created;
}

void check_free_space(const fs::path& output, std::uint64_t needed) {
    const fs::path dir = directory_of(output);
    struct statvfs st {};
    if (::statvfs(dir.c_str(), &st) != 0)
        return;  // not knowable here; writing will tell
    const std::uint64_t free_bytes =
        static_cast<std::uint64_t>(st.f_bavail) * static_cast<std::uint64_t>(st.f_frsize);
    if (free_bytes < needed) {
        throw Error("the bundle needs about " + human_size(needed) + " but " + quote(dir.string()) +
                    " has " + human_size(free_bytes) + " free")
            .with_hint("free some space there, or write the bundle elsewhere with -o");
    }
}

}  // namespace airlock::pack

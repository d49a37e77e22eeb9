#include "builder/fetch/cache.hpp"

#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace airlock::fetch {
namespace fs = std::filesystem;
namespace {

std::string errno_text() {
    return std::strerror(errno);
}

void make_dirs(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        throw Error("cannot create directory " + quote(dir.string()) + ": " + ec.message())
            .with_hint("choose a writable cache with --cache-dir or AIRLOCK_CACHE_DIR");
    }
}

}  // namespace

Cache::Cache(fs::path root) : root_(std::move(root)) {}

fs::path Cache::default_root() {
    if (const char* dir = std::getenv("AIRLOCK_CACHE_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
        return fs::path(xdg) / "airlock";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return fs::path(home) / ".cache" / "airlock";
    }
    throw Error(
        "cannot find a cache directory: none of AIRLOCK_CACHE_DIR, XDG_CACHE_HOME, HOME "
        "is set")
        .with_hint("pass --cache-dir DIR");
}

fs::path Cache::blob_path(std::string_view sha256) const {
    std::string hex(sha256);
    return root_ / "blobs" / "sha256" / hex.substr(0, 2) / hex.substr(2);
}

std::optional<fs::path> Cache::lookup(std::string_view sha256) const {
    if (!digest::is_sha256_hex(sha256))
        return std::nullopt;
    auto path = blob_path(sha256);
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        return path;
    return std::nullopt;
}

fs::path Cache::tmp_dir() const {
    auto dir = root_ / "tmp";
    make_dirs(dir);
    return dir;
}

fs::path Cache::commit(const fs::path& verified, std::string_view sha256) const {
    auto dest = blob_path(sha256);
    make_dirs(dest.parent_path());
    ::chmod(verified.c_str(), 0444);
    if (::rename(verified.c_str(), dest.c_str()) != 0) {
        throw Error("cannot move " + quote(verified.string()) + " into the cache at " +
                    quote(dest.string()) + ": " + errno_text());
    }
    // No directory fsync: a rename lost in a crash only means the blob is fetched again; the
    // data itself was fsynced before the rename, so a blob name never points at lost bytes.
    return dest;
}

void place_file(const fs::path& blob, const fs::path& dest) {
    auto tmp = dest;
    tmp += ".airlock-tmp-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove(tmp, ec);
    if (::link(blob.c_str(), tmp.c_str()) != 0) {
        fs::copy_file(blob, tmp, fs::copy_options::overwrite_existing, ec);
        if (ec) {
            fs::remove(tmp, ec);
            throw Error("cannot copy " + quote(blob.string()) + " to " + quote(dest.string()) +
                        ": " + ec.message());
        }
        int fd = ::open(tmp.c_str(), O_RDONLY);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    if (::rename(tmp.c_str(), dest.c_str()) != 0) {
        auto reason = errno_text();
        fs::remove(tmp, ec);
        throw Error("cannot write " + quote(dest.string()) + ": " + reason);
    }
}

}  // namespace airlock::fetch

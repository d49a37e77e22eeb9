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
    // No fsync, of the data or the directory: the cache can always be fetched again, and syncing
    // every blob costs more than the download on a fast link. A power cut on a journalling
    // filesystem (ext4 data=ordered, xfs) can lose a blob's tail but never shows other bytes;
    // a short blob fails the size check on lookup and is fetched again, and every bundle re-hashes
    // each file it packs against the lock, so lost bytes can never reach a bundle.
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
    }
    if (::rename(tmp.c_str(), dest.c_str()) != 0) {
        auto reason = errno_text();
        fs::remove(tmp, ec);
        throw Error("cannot write " + quote(dest.string()) + ": " + reason);
    }
}

}  // namespace airlock::fetch

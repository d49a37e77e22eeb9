#include "builder/fetch/fetch.hpp"

#include "builder/fetch/cache.hpp"
#include "builder/fetch/download_loop.hpp"
#include "builder/fetch/local_files.hpp"
#include "builder/net/http_client.hpp"
#include "core/base/error.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/digest/md5.hpp"
#include "core/digest/sha256.hpp"

namespace airlock::fetch {

Error FetchReport::error(const std::string& hint) const {
    std::string message = std::to_string(failures.size()) + " of " +
                          std::to_string(fetched.size()) +
                          (fetched.size() == 1 ? " file" : " files") + " could not be downloaded:";
    constexpr std::size_t shown = 20;
    for (std::size_t i = 0; i < failures.size() && i < shown; ++i)
        message += "\n  " + failures[i];
    if (failures.size() > shown)
        message += "\n  … and " + std::to_string(failures.size() - shown) + " more";
    return Error(message).with_hint(hint);
}

std::vector<Fetched> fetch_all(const std::vector<FetchItem>& items, const FetchOptions& options) {
    auto report = fetch_each(items, options);
    if (!report.ok()) {
        throw report.error(
            "the other files are in the cache; run the same command again to retry the failed "
            "ones");
    }
    return std::move(report.fetched);
}

FetchReport fetch_each(const std::vector<FetchItem>& items, const FetchOptions& options) {
    for (const auto& item : items) {
        if (item.filename.empty() || item.filename.find('/') != std::string::npos ||
            item.filename == "." || item.filename == "..") {
            throw Error("invalid file name " + quote(item.filename) + ": it must be a plain name");
        }
        if (!item.folder.empty() && !bundle::is_safe_relative_path(item.folder))
            throw Error("invalid folder " + quote(item.folder) + " for " + quote(item.filename));
        if (item.urls.empty())
            throw Error("no URL for " + quote(item.filename));
        if (!item.sha256.empty() && !digest::is_sha256_hex(item.sha256)) {
            throw Error("invalid sha256 " + quote(item.sha256) + " for " + quote(item.filename) +
                        ": expected 64 hex digits");
        }
        if (!item.md5.empty() && !digest::is_md5_hex(item.md5)) {
            throw Error("invalid md5 " + quote(item.md5) + " for " + quote(item.filename) +
                        ": expected 32 hex digits");
        }
    }
    import_local_files(
        items, Cache(options.cache_dir.empty() ? net::default_cache_dir() : options.cache_dir));
    return run_download_loop(items, options);
}

}  // namespace airlock::fetch

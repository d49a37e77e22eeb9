#include "builder/cli/hash_by_download.hpp"

#include "builder/fetch/fetch.hpp"
#include "builder/net/url.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"
#include "core/base/terminal_text.hpp"

#include <iostream>
#include <map>

namespace airlock::builder {

void hash_by_download(std::vector<lock::TargetLock>& locks, const resolve::ResolveOptions& options,
                      bool verbose) {
    // One download per URL, however many targets lock the file.
    std::map<std::string, std::vector<lock::LockedFile*>> by_url;
    for (auto& lock : locks)
        for (auto& package : lock.packages)
            for (auto& file : package.wheels)
                if (file.sha256.empty())
                    by_url[file.url].push_back(&file);
    if (by_url.empty())
        return;
    if (options.cache_mode == net::CacheMode::offline) {
        const auto& first = *by_url.begin()->second.front();
        throw Error("the find-links page gives no sha256 for " + quote(first.name) +
                    ", and hashing it means downloading it, which --offline forbids")
            .with_hint("run once without --offline, or use a page whose links carry #sha256=");
    }
    std::vector<fetch::FetchItem> items;
    for (const auto& [url, files] : by_url) {
        fetch::FetchItem item;
        item.filename = files.front()->name;
        item.urls.push_back(url);
        item.urls.insert(item.urls.end(), files.front()->mirrors.begin(),
                         files.front()->mirrors.end());
        item.size = files.front()->size;
        items.push_back(std::move(item));
    }
    fetch::FetchOptions fetch_options;
    if (!options.cache_dir.empty())
        fetch_options.cache_dir = options.cache_dir;
    fetch_options.network = options.network;
    if (options.retries)
        fetch_options.network.retry.retries = *options.retries;
    fetch_options.progress = fetch::FetchOptions::Progress::quiet;
    auto fetched =
        within("hashing the find-links files that have no #sha256= (by downloading them)",
               [&] { return fetch::fetch_all(items, fetch_options); });
    std::size_t i = 0;
    for (auto& [url, files] : by_url) {
        for (auto* file : files) {
            file->sha256 = fetched[i].sha256;
            file->size = fetched[i].size;
        }
        if (verbose) {
            std::cerr << "find-links: " << terminal_text(files.front()->name)
                      << " has no #sha256= on its page; downloaded it ("
                      << human_size(fetched[i].size) << ") and locked sha256 " << fetched[i].sha256
                      << "\n";
        }
        ++i;
    }
}

}  // namespace airlock::builder

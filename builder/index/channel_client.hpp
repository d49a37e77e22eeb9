#pragma once
/// Conda channel client, beside the PyPI index client on the same HTTP engine: fetches
/// `<channel>/<subdir>/repodata.json` for each subdir asked plus `noarch`, preferring
/// `repodata.json.zst` (asked first; a 404 falls back to the plain file), revalidated through
/// the HTTP cache (ETag / Last-Modified), with the channel's mirrors and the client's retries.

#include "builder/conda/repodata.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/net/http_client.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace airlock::index {

struct ChannelClientOptions {
    std::filesystem::path cache_dir;  ///< empty: net::default_cache_dir()
    net::CacheMode cache_mode = net::CacheMode::revalidate;
    int retries = 3;
    /// `--cert` and the channels' credentials (sent to their servers only, never written);
    /// `retries` above overrides network.retry.retries.
    net::NetworkOptions network;
};

/// One channel's subdir, loaded.
struct ChannelSubdir {
    std::size_t priority = 0;  ///< index of the channel in the manifest (0 = highest)
    std::string channel;       ///< the channel as the manifest names it (`pytorch`, or the URL)
    std::string channel_url;   ///< `https://conda.anaconda.org/pytorch` (credential-free)
    std::string subdir;        ///< `linux-64`, `noarch`
    /// Where the package files are: `<channel_url>/<subdir>`, or repodata's `info.base_url`.
    std::string files_url;
    std::vector<std::string> mirrors;  ///< the same directory under each mirror root
    /// The index; null when the channel has no such subdir (404 for both files).
    std::shared_ptr<const conda::Repodata> repodata;
};

class ChannelClient {
  public:
    explicit ChannelClient(std::vector<manifest::CondaChannel> channels,
                           ChannelClientOptions options = {});
    ~ChannelClient();

    /// Every channel's `subdirs` and `noarch`, in priority order (a channel's subdirs in the
    /// order asked, noarch last). What was loaded before is reused; the rest is fetched
    /// concurrently, then parsed. Thread-safe. Throws Error naming the URL when a request fails
    /// (other than 404), when repodata does not parse, or when a channel has none of them.
    std::vector<ChannelSubdir> load(const std::vector<std::string>& subdirs);

    const std::vector<manifest::CondaChannel>& channels() const { return channels_; }

  private:
    std::vector<manifest::CondaChannel> channels_;
    ChannelClientOptions options_;
    std::unique_ptr<net::HttpClient> http_;
    std::mutex mutex_;
    std::map<std::pair<std::size_t, std::string>, ChannelSubdir> loaded_;
};

}  // namespace airlock::index

#pragma once
/// The on-disk HTTP cache (RFC 9111 subset): one file per URL + Accept under `<cache>/http/`,
/// holding the body and its validators (ETag, Last-Modified) and Cache-Control max-age. Entries
/// are written to a temporary file and renamed, so a reader sees a whole entry or none.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace airlock::net {

struct CacheEntry {
    std::string url;
    std::string content_type;
    std::string effective_url;
    std::map<std::string, std::string> headers;  ///< lowercased names
    std::string body;
    std::int64_t stored_at = 0;  ///< unix seconds

    std::optional<std::string> header(const std::string& name) const;
    /// Cache-Control max-age in seconds (0 when absent or no-cache).
    std::int64_t max_age() const;
    bool fresh(std::int64_t now) const { return now - stored_at < max_age(); }
};

class HttpCache {
  public:
    explicit HttpCache(std::filesystem::path root);  ///< `<cache>/http`

    /// The key of a response: URL + the Accept header value (different representations).
    static std::string key(const std::string& url, const std::string& accept);

    std::optional<CacheEntry> load(const std::string& key) const;
    /// Writes atomically; failures to write are ignored (the cache is an optimisation).
    void store(const std::string& key, const CacheEntry& entry) const;

    const std::filesystem::path& root() const { return root_; }

  private:
    std::filesystem::path path_of(const std::string& key) const;
    std::filesystem::path root_;
};

}  // namespace airlock::net

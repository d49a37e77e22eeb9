#pragma once
/// An HTTP/1.1 + HTTP/2 client (RFC 9110/9111) for index pages and metadata: a thin buffering
/// user of the transfer engine (transfer_engine.hpp) that files use too, so pages and files share
/// its event loop, timeouts, redirect rules and proxy/TLS/credential setup, and the retry policy
/// (retry_policy.hpp). Adds many GETs at once over reused (multiplexed) connections, mirror
/// failover and an on-disk cache revalidated with ETag / Last-Modified.

#include "builder/net/byte_range.hpp"
#include "builder/net/request_setup.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace airlock::net {

struct HttpResponse {
    long status = 0;  ///< the final HTTP status; 0 when no server answered (see `error`)
    std::string body;
    std::string content_type;   ///< the Content-Type header, as sent
    std::string effective_url;  ///< the URL that answered, after redirects and mirror failover
    std::map<std::string, std::string> headers;  ///< lowercased names; the final response's
    bool from_cache = false;  ///< body served from the disk cache (after a 304, or without asking)
    /// The transport failure (connect, stall...) when status is 0; with an error status, why it
    /// was not asked again when that was the server's doing (an absurd Retry-After); else "".
    std::string error;
    bool tls_failed = false;    ///< `error` is a certificate the CA bundle does not accept
    bool offline_miss = false;  ///< CacheMode::offline and nothing stored for the URL

    bool ok() const { return status >= 200 && status < 300; }
};

struct HttpRequest {
    std::string url;
    std::vector<std::string> headers;  ///< "Name: value" lines, e.g. an Accept header
    std::vector<std::string> mirrors;  ///< equivalent URLs tried in order when `url` fails
    /// Range requests are never cached. A server that ignores the range (200) gets its status
    /// returned with an empty body: a range request never holds a whole file in memory.
    std::optional<ByteRange> range;
};

/// How the disk cache is used.
enum class CacheMode {
    /// HTTP semantics: a stored response still fresh by its Cache-Control max-age is used as is;
    /// otherwise it is revalidated (If-None-Match / If-Modified-Since, 304 → stored body).
    revalidate,
    /// Any stored response is used without contacting the server, however old; misses go to
    /// the network. For repeated `lock` runs against indexes that do not change underneath.
    prefer_cache,
    /// Never touch the network: stored responses only; a miss is an error naming the URL.
    offline,
    /// No disk cache at all (reads nor writes).
    disabled,
};

struct HttpClientOptions {
    /// Root of airlock's cache; responses live under `<cache_dir>/http/`. Empty:
    /// default_cache_dir().
    std::filesystem::path cache_dir;
    CacheMode cache_mode = CacheMode::revalidate;
    int max_connections_per_host = 16;
    int max_total_connections = 64;
    /// `--cert`, credentials, and the timeouts and retry policy shared with file downloads:
    /// `network.retry.retries` extra attempts per URL on 5xx / 429 / network errors, then the
    /// next mirror.
    NetworkOptions network;
};

/// `$AIRLOCK_CACHE_DIR`, else `$XDG_CACHE_HOME/airlock`, else `~/.cache/airlock`.
std::filesystem::path default_cache_dir();

/// Thread-safe: any number of threads may call get/get_many at once, each call driving a
/// transfer engine of its own (kept for the next call, with its connections); DNS answers and
/// TLS sessions are shared by all. Proxies, the CA bundle and credentials are set on every
/// request by RequestSetup (request_setup.hpp). A certificate failure is not retried.
class HttpClient {
  public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// One GET. Any HTTP status is returned (check `status`); throws airlock::Error when no
    /// server answered (after retries on every mirror) or when offline and not cached.
    HttpResponse get(const std::string& url, const std::vector<std::string>& headers = {});
    HttpResponse get(const HttpRequest& request);

    /// Many GETs at once; results in request order. Never throws for a single request's
    /// failure: a transport failure is a response with status 0 and `error` set.
    std::vector<HttpResponse> get_many(const std::vector<HttpRequest>& requests);

    const HttpClientOptions& options() const { return options_; }

  private:
    struct Impl;
    HttpClientOptions options_;
    std::unique_ptr<Impl> impl_;
};

/// Throws the airlock::Error a failed transport response stands for (status 0); no-op otherwise.
void throw_if_transport_error(const HttpResponse& response, const std::string& url);

}  // namespace airlock::net

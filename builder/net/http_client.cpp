#include "builder/net/http_client.hpp"

#include "builder/net/http_cache.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/transfer_engine.hpp"
#include "builder/net/url.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <random>

namespace airlock::net {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The value of the request's Accept header ("" when none): part of the cache key.
std::string accept_of(const HttpRequest& request) {
    for (const auto& header : request.headers) {
        if (ascii_lower(header.substr(0, 7)) == "accept:")
            return std::string(ascii_trim(std::string_view(header).substr(7)));
    }
    return {};
}

/// One request of a get_many() call: its URLs and attempts, and the body it buffers.
struct PageTransfer final : TransferSink {
    std::size_t slot = 0;
    const HttpRequest* request = nullptr;
    std::vector<std::string> urls;  ///< the URL, then each mirror
    std::size_t url_index = 0;
    int attempt = 0;
    Clock::time_point not_before{};
    std::optional<CacheEntry> cached;
    std::string cache_key;
    bool in_flight = false;
    bool answered = false;  ///< its response is in the results: never started again
    std::string body;
    std::optional<TransferResult> result;  ///< the attempt's end, once the engine reported it

    bool on_head(const ResponseHead& head) override {
        body.clear();
        // A server that ignores the range sends the whole file: never buffer it.
        return !(request->range && head.status == 200);
    }
    bool on_body(const char* data, std::size_t size) override {
        body.append(data, size);
        return true;
    }
    void on_done(const TransferResult& done) override { result = done; }
};

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

}  // namespace

std::filesystem::path default_cache_dir() {
    if (auto dir = env("AIRLOCK_CACHE_DIR"))
        return *dir;
    if (auto dir = env("XDG_CACHE_HOME"))
        return std::filesystem::path(*dir) / "airlock";
    if (auto home = env("HOME"))
        return std::filesystem::path(*home) / ".cache" / "airlock";
    throw Error(
        "cannot choose a cache directory: none of AIRLOCK_CACHE_DIR, XDG_CACHE_HOME, "
        "HOME is set",
        Exit::user)
        .with_hint("pass --cache-dir DIR or set AIRLOCK_CACHE_DIR");
}

void throw_if_transport_error(const HttpResponse& response, const std::string& url) {
    if (response.status != 0)
        return;
    Error error("GET " + redact(url) + " failed: " +
                    (response.error.empty() ? std::string("no response") : response.error),
                Exit::user);
    if (!response.tls_failed)
        error.with_hint("check the network, the proxy settings (https_proxy) and the index URL");
    throw error;
}

struct HttpClient::Impl {
    HttpClientOptions options;
    std::optional<HttpCache> cache;
    EngineOptions engine_options;
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<TransferEngine>> idle;  ///< each keeps its open connections
    std::mutex rng_mutex;
    std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter{0.0, 1.0};

    std::unique_ptr<TransferEngine> acquire() {
        {
            std::lock_guard guard(pool_mutex);
            if (!idle.empty()) {
                auto engine = std::move(idle.back());
                idle.pop_back();
                return engine;
            }
        }
        return std::make_unique<TransferEngine>(engine_options);
    }

    void release(std::unique_ptr<TransferEngine> engine) {
        std::lock_guard guard(pool_mutex);
        idle.push_back(std::move(engine));
    }

    /// The engine request for the transfer's current URL and attempt.
    static Request request_for(const PageTransfer& t) {
        Request request;
        request.url = t.urls[t.url_index];
        request.headers = t.request->headers;
        request.range = t.request->range;
        if (!t.request->range) {
            request.encoding = Request::Encoding::any;  // gzip/br/zstd pages
            if (t.cached && t.url_index == 0) {
                if (auto etag = t.cached->header("etag"))
                    request.headers.push_back("If-None-Match: " + *etag);
                if (auto modified = t.cached->header("last-modified"))
                    request.headers.push_back("If-Modified-Since: " + *modified);
            }
        }
        return request;
    }

    /// Decides what a finished attempt means: the response (true) or scheduled again (false).
    bool complete(PageTransfer& t, HttpResponse& response) {
        const TransferResult& result = *t.result;
        const std::string& url = t.urls[t.url_index];
        const bool answered = result.outcome != TransferResult::Outcome::failed;
        const long status = answered ? result.head.status : 0;
        const auto status_class = classify_status(status);
        const bool retryable_answer =
            status_class == StatusClass::busy || status_class == StatusClass::transient;
        const auto content_type = [&] {
            auto it = result.head.fields.find("content-type");
            return it == result.head.fields.end() ? std::string() : it->second;
        };
        if (answered && status > 0 && !retryable_answer) {
            response.status = status;
            response.effective_url = result.effective_url;
            response.headers = result.head.fields;
            response.content_type = content_type();
            response.body = std::move(t.body);
            if (status == 304 && t.cached) {
                response.status = 200;
                response.body = t.cached->body;
                response.content_type = t.cached->content_type;
                response.effective_url = t.cached->effective_url;
                auto headers = t.cached->headers;
                for (auto& [name, value] : response.headers)
                    headers[name] = value;
                response.headers = headers;
                response.from_cache = true;
                CacheEntry renewed;
                renewed.headers = headers;
                if (t.cached->max_age() > 0 || renewed.max_age() > 0)
                    store(t, response);  // renew freshness
            } else if (status == 200 && cache && !t.request->range && !url.starts_with("file:")) {
                store(t, response);
            }
            return true;
        }
        // A failed attempt: retry this URL with backoff, then fail over to the next mirror.
        std::string failure = "HTTP " + std::to_string(status);
        bool retryable = true;
        std::optional<std::chrono::seconds> retry_after;
        if (!answered) {
            failure = result.error;
            // A server that refuses connections is down: its mirror now, not after backoffs.
            retryable =
                result.retryable && !(result.connect_failed && t.url_index + 1 < t.urls.size());
        } else {
            retry_after = result.head.retry_after;
        }
        std::string refused;
        if (retryable) {
            ++t.attempt;
            double random = 0;
            {
                std::lock_guard guard(rng_mutex);
                random = jitter(rng);
            }
            auto decision = decide_retry(options.network.retry, t.attempt, retry_after, random);
            if (decision.retry) {
                t.not_before = Clock::now() + decision.delay;
                return false;
            }
            if (retry_after)
                refused = decision.reason;
        }
        if (t.url_index + 1 < t.urls.size()) {
            ++t.url_index;
            t.attempt = 0;
            t.not_before = Clock::now();
            return false;
        }
        if (answered) {  // the server answered, with an error status: return it
            response.status = status;
            response.effective_url = result.effective_url;
            response.headers = result.head.fields;
            response.content_type = content_type();
            response.error = refused;
        } else {
            response.status = 0;
            response.error = failure;
            response.tls_failed = result.tls_failed;
            if (t.urls.size() > 1)
                response.error += " (after trying " + std::to_string(t.urls.size()) + " mirrors)";
        }
        return true;
    }

    void store(const PageTransfer& t, const HttpResponse& response) {
        if (!cache || options.cache_mode == CacheMode::disabled)
            return;
        auto control = ascii_lower(response.headers.count("cache-control")
                                       ? response.headers.at("cache-control")
                                       : std::string());
        if (control.find("no-store") != std::string::npos)
            return;
        CacheEntry entry;
        entry.url = t.request->url;
        entry.content_type = response.content_type;
        entry.effective_url = response.effective_url;
        entry.headers = response.headers;
        entry.body = response.body;
        entry.stored_at = unix_now();
        cache->store(t.cache_key, entry);
    }
};

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
    impl_->options = options_;
    if (options_.cache_mode != CacheMode::disabled) {
        auto root = options_.cache_dir.empty() ? default_cache_dir() : options_.cache_dir;
        impl_->cache.emplace(root / "http");
    }
    auto& e = impl_->engine_options;
    e.network = options_.network;
    e.connections = EngineOptions::Connections::multiplexed;
    e.max_host_connections = options_.max_connections_per_host;
    e.max_total_connections = options_.max_total_connections;
    e.sessions = std::make_shared<SharedSessions>();
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers) {
    return get(HttpRequest{url, headers, {}, std::nullopt});
}

HttpResponse HttpClient::get(const HttpRequest& request) {
    auto responses = get_many({request});
    auto& response = responses.front();
    if (response.status == 0)
        throw_if_transport_error(response, request.url);
    return std::move(response);
}

std::vector<HttpResponse> HttpClient::get_many(const std::vector<HttpRequest>& requests) {
    std::vector<HttpResponse> results(requests.size());
    std::vector<std::unique_ptr<PageTransfer>> pending;
    const auto mode = options_.cache_mode;
    const auto now = unix_now();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& request = requests[i];
        auto transfer = std::make_unique<PageTransfer>();
        transfer->slot = i;
        transfer->request = &request;
        transfer->urls.push_back(request.url);
        for (const auto& mirror : request.mirrors)
            transfer->urls.push_back(mirror);
        if (impl_->cache && !request.range) {
            transfer->cache_key = HttpCache::key(request.url, accept_of(request));
            transfer->cached = impl_->cache->load(transfer->cache_key);
        }
        if (transfer->cached && (mode == CacheMode::offline || mode == CacheMode::prefer_cache ||
                                 (mode == CacheMode::revalidate && transfer->cached->fresh(now)))) {
            auto& r = results[i];
            r.status = 200;
            r.body = std::move(transfer->cached->body);
            r.content_type = transfer->cached->content_type;
            r.effective_url = transfer->cached->effective_url;
            r.headers = transfer->cached->headers;
            r.from_cache = true;
            continue;
        }
        if (mode == CacheMode::offline) {
            results[i].error = "offline mode and " + redact(request.url) + " is not in the cache";
            results[i].offline_miss = true;
            continue;
        }
        pending.push_back(std::move(transfer));
    }
    if (pending.empty())
        return results;

    // An engine that a throw left with transfers is dropped (their sinks die here), not reused.
    auto engine = impl_->acquire();
    std::size_t remaining = pending.size();
    while (remaining > 0) {
        auto start = Clock::now();
        auto next_wake = start + std::chrono::milliseconds(1000);
        for (auto& t : pending) {
            if (t->in_flight || t->answered)
                continue;
            if (t->not_before > start) {
                next_wake = std::min(next_wake, t->not_before);
                continue;
            }
            t->result.reset();
            t->body.clear();
            engine->start(Impl::request_for(*t), *t);
            t->in_flight = true;
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_wake - start);
        engine->run(std::max(wait, std::chrono::milliseconds(0)));
        for (auto& t : pending) {
            if (!t->in_flight || !t->result)
                continue;
            t->in_flight = false;
            if (impl_->complete(*t, results[t->slot])) {
                t->answered = true;
                --remaining;
            }
        }
    }
    impl_->release(std::move(engine));
    return results;
}

}  // namespace airlock::net

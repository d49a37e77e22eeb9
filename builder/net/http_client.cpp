#include "builder/net/http_client.hpp"

#include "builder/net/curl_global.hpp"
#include "builder/net/http_cache.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/transfer_error.hpp"
#include "builder/net/url.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/build_info.hpp"
#include "core/base/error.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

namespace airlock::net {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string trim(std::string_view text) {
    auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
        return {};
    auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

/// The value of the request's Accept header ("" when none): part of the cache key.
std::string accept_of(const HttpRequest& request) {
    for (const auto& header : request.headers) {
        if (ascii_lower(header.substr(0, 7)) == "accept:")
            return trim(header.substr(7));
    }
    return {};
}

struct Transfer {
    std::size_t slot = 0;
    const HttpRequest* request = nullptr;
    std::vector<std::string> urls;  ///< the URL, then each mirror
    std::size_t url_index = 0;
    int attempt = 0;
    Clock::time_point not_before{};
    std::optional<CacheEntry> cached;
    std::string cache_key;
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    HttpResponse response;
    char error_buffer[CURL_ERROR_SIZE] = {};
    std::size_t header_bytes = 0;
    bool header_overflow = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    transfer->response.body.append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/"))
        transfer->header_bytes = 0;
    transfer->header_bytes += line.size();
    if (transfer->header_bytes > max_response_header_bytes) {
        transfer->header_overflow = true;
        return 0;  // stops the transfer
    }
    if (line.starts_with("HTTP/")) {
        transfer->response.headers.clear();  // a new response (redirect, 100 Continue)
        transfer->response.body.clear();
        return size * count;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return size * count;
    auto name = ascii_lower(trim(line.substr(0, colon)));
    auto value = trim(line.substr(colon + 1));
    auto [it, inserted] = transfer->response.headers.emplace(name, value);
    if (!inserted)
        it->second += ", " + value;
    return size * count;
}

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
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
    std::mutex pool_mutex;
    std::vector<CURLM*> multi_pool;  ///< idle multi handles; each keeps its connection cache
    RequestSetup setup;
    std::string user_agent = std::string("airlock/") + build_info::version;
    std::mutex rng_mutex;
    std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter{0.0, 1.0};

    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        static_cast<Impl*>(user)->share_locks[data].lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* user) {
        static_cast<Impl*>(user)->share_locks[data].unlock();
    }

    CURLM* acquire_multi() {
        {
            std::lock_guard guard(pool_mutex);
            if (!multi_pool.empty()) {
                CURLM* multi = multi_pool.back();
                multi_pool.pop_back();
                return multi;
            }
        }
        CURLM* multi = curl_multi_init();
        if (!multi)
            throw Error("libcurl could not create a transfer set", Exit::internal);
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(options.max_connections_per_host));
        curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          static_cast<long>(options.max_total_connections));
        return multi;
    }

    void release_multi(CURLM* multi) {
        std::lock_guard guard(pool_mutex);
        multi_pool.push_back(multi);
    }

    /// A new easy handle for the transfer's current URL and attempt.
    void start(Transfer& t, CURLM* multi) {
        const std::string& url = t.urls[t.url_index];
        t.response = HttpResponse{};
        t.error_buffer[0] = 0;
        t.header_bytes = 0;
        t.header_overflow = false;
        t.easy = curl_easy_init();
        if (!t.easy)
            throw Error("libcurl could not create a transfer", Exit::internal);
        CURL* e = t.easy;
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer);
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(e, CURLOPT_SHARE, share);
        curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent.c_str());
        setup.apply(e, url);
        curl_slist* list = nullptr;
        for (const auto& header : t.request->headers)
            list = curl_slist_append(list, header.c_str());
        if (t.request->range) {
            const auto& r = *t.request->range;
            std::string value =
                r.suffix ? "Range: bytes=-" + std::to_string(r.suffix)
                         : "Range: bytes=" + std::to_string(r.first) + "-" + std::to_string(r.last);
            list = curl_slist_append(list, value.c_str());
            if (url.starts_with("file:")) {
                // FILE has no Range header; libcurl's own range option does the same job.
                std::string spec = r.suffix
                                       ? "-" + std::to_string(r.suffix)
                                       : std::to_string(r.first) + "-" + std::to_string(r.last);
                curl_easy_setopt(e, CURLOPT_RANGE, spec.c_str());
            }
        } else {
            curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip/br/zstd pages
            if (t.cached && t.url_index == 0) {
                if (auto etag = t.cached->header("etag")) {
                    list = curl_slist_append(list, ("If-None-Match: " + *etag).c_str());
                }
                if (auto modified = t.cached->header("last-modified")) {
                    list = curl_slist_append(list, ("If-Modified-Since: " + *modified).c_str());
                }
            }
        }
        t.header_list = list;
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
        curl_multi_add_handle(multi, e);
    }

    void finish_handle(Transfer& t, CURLM* multi) {
        curl_multi_remove_handle(multi, t.easy);
        curl_easy_cleanup(t.easy);
        t.easy = nullptr;
        curl_slist_free_all(t.header_list);
        t.header_list = nullptr;
    }

    /// Decides what a finished attempt means: done (true) or scheduled again (false).
    bool complete(Transfer& t, CURLcode code) {
        const std::string& url = t.urls[t.url_index];
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        char* effective = nullptr;
        curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &effective);
        bool is_file = url.starts_with("file:");
        if (is_file && code == CURLE_OK)
            status = t.request->range ? 206 : 200;
        if (is_file && (code == CURLE_FILE_COULDNT_READ_FILE)) {
            status = 404;
            code = CURLE_OK;
        }
        // The URL that answered, credential-free whatever a redirect said.
        auto answered = Url::try_parse(effective ? effective : url);
        const std::string effective_url = answered ? answered->str() : redact(url);
        const auto status_class = classify_status(status);
        const bool retryable_answer =
            status_class == StatusClass::busy || status_class == StatusClass::transient;
        if (code == CURLE_OK && status > 0 && !retryable_answer) {
            t.response.status = status;
            t.response.effective_url = effective_url;
            t.response.content_type = t.response.headers.count("content-type")
                                          ? t.response.headers["content-type"]
                                          : std::string();
            if (status == 304 && t.cached) {
                t.response.status = 200;
                t.response.body = t.cached->body;
                t.response.content_type = t.cached->content_type;
                t.response.effective_url = t.cached->effective_url;
                auto headers = t.cached->headers;
                for (auto& [name, value] : t.response.headers)
                    headers[name] = value;
                t.response.headers = headers;
                t.response.from_cache = true;
                CacheEntry renewed;
                renewed.headers = headers;
                if (t.cached->max_age() > 0 || renewed.max_age() > 0) {
                    store(t, t.response);  // renew freshness
                }
            } else if (status == 200 && cache && !t.request->range && !is_file) {
                store(t, t.response);
            }
            return true;
        }
        // A failed attempt: retry this URL with backoff, then fail over to the next mirror.
        std::string failure = "HTTP " + std::to_string(status);
        bool tls_failed = false;
        bool retryable = true;
        std::optional<std::chrono::seconds> retry_after;
        if (code != CURLE_OK) {
            auto error = describe_transfer_error(t.easy, code, t.error_buffer, redact(url),
                                                 t.header_overflow);
            failure = error.message;
            tls_failed = error.tls_failed;
            // A server that refuses connections is down: its mirror now, not after backoffs.
            retryable =
                error.retryable && !(error.connect_failed && t.url_index + 1 < t.urls.size());
        } else if (auto it = t.response.headers.find("retry-after");
                   it != t.response.headers.end()) {
            retry_after = parse_retry_after(it->second, unix_now());
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
        if (code == CURLE_OK) {  // the server answered, with an error status: return it
            t.response.status = status;
            t.response.effective_url = effective_url;
            t.response.content_type = t.response.headers["content-type"];
            t.response.error = refused;
        } else {
            t.response.status = 0;
            t.response.body.clear();
            t.response.error = failure;
            t.response.tls_failed = tls_failed;
            if (t.urls.size() > 1) {
                t.response.error += " (after trying " + std::to_string(t.urls.size()) + " mirrors)";
            }
        }
        return true;
    }

    void store(const Transfer& t, const HttpResponse& response) {
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
    ensure_curl_global_init();
    impl_->options = options_;
    impl_->setup = RequestSetup(options_.network);
    if (options_.cache_mode != CacheMode::disabled) {
        auto root = options_.cache_dir.empty() ? default_cache_dir() : options_.cache_dir;
        impl_->cache.emplace(root / "http");
    }
    impl_->share = curl_share_init();
    curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
    curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
    curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
    curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
    for (CURLM* multi : impl_->multi_pool)
        curl_multi_cleanup(multi);
    curl_share_cleanup(impl_->share);
}

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
    std::vector<std::unique_ptr<Transfer>> pending;
    const auto mode = options_.cache_mode;
    const auto now = unix_now();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& request = requests[i];
        auto transfer = std::make_unique<Transfer>();
        transfer->slot = i;
        transfer->request = &request;
        transfer->urls.push_back(request.url);
        for (const auto& mirror : request.mirrors)
            transfer->urls.push_back(mirror);
        bool cacheable = impl_->cache && !request.range;
        if (cacheable) {
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

    CURLM* multi = impl_->acquire_multi();
    struct Release {
        Impl* impl;
        CURLM* multi;
        std::vector<std::unique_ptr<Transfer>>* transfers;
        ~Release() {
            for (auto& t : *transfers) {
                if (t->easy)
                    impl->finish_handle(*t, multi);
            }
            impl->release_multi(multi);
        }
    } release{impl_.get(), multi, &pending};

    std::size_t remaining = pending.size();
    std::vector<Transfer*> waiting;
    for (auto& t : pending)
        waiting.push_back(t.get());
    while (remaining > 0) {
        auto now_tp = Clock::now();
        auto next_wake = now_tp + std::chrono::milliseconds(1000);
        for (auto it = waiting.begin(); it != waiting.end();) {
            if ((*it)->not_before <= now_tp) {
                impl_->start(**it, multi);
                it = waiting.erase(it);
            } else {
                next_wake = std::min(next_wake, (*it)->not_before);
                ++it;
            }
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
            CURLcode code = msg->data.result;
            bool done = impl_->complete(*t, code);
            impl_->finish_handle(*t, multi);
            if (done) {
                results[t->slot] = std::move(t->response);
                --remaining;
            } else {
                waiting.push_back(t);
            }
        }
        if (remaining == 0)
            break;
        if (running == 0 && !waiting.empty()) {
            std::this_thread::sleep_until(std::min(
                next_wake,
                std::min_element(waiting.begin(), waiting.end(),
                                 [](auto* a, auto* b) { return a->not_before < b->not_before; })[0]
                    ->not_before));
            continue;
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_wake - Clock::now());
        curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max<long>(wait.count(), 0)),
                        nullptr);
    }
    return results;
}

}  // namespace airlock::net

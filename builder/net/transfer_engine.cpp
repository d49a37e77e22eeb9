#include "builder/net/transfer_engine.hpp"

#include "builder/net/curl_global.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/transfer_error.hpp"
#include "builder/net/url.hpp"
#include "core/base/build_info.hpp"
#include "core/base/error.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <unordered_map>
#include <vector>

namespace airlock::net {
namespace {

std::int64_t unix_now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

struct TransferEngine::Impl {
    struct Transfer {
        TransferId id = 0;
        CURL* easy = nullptr;
        TransferSink* sink = nullptr;
        ResponseHead head;
        bool head_delivered = false;
        bool stop_requested = false;
        bool cancelled = false;
        std::size_t header_bytes = 0;
        bool header_overflow = false;
        curl_slist* headers = nullptr;
        char errbuf[CURL_ERROR_SIZE] = {};
        std::string url;       ///< credential-free, for messages
        bool is_file = false;  ///< a `file:` URL: no headers, the status is made up
        bool ranged = false;
    };

    EngineOptions options;
    CURLM* multi = nullptr;
    RequestSetup setup;
    TransferId next_id = 1;
    std::unordered_map<TransferId, std::unique_ptr<Transfer>> transfers;
    std::vector<CURL*> idle_easies;
    std::vector<TransferId> to_cancel;

    static size_t on_header(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        std::string_view line(data, size * count);
        if (line.starts_with("HTTP/"))
            t->header_bytes = 0;
        t->header_bytes += line.size();
        if (t->header_bytes > max_response_header_bytes) {
            t->header_overflow = true;
            return 0;  // stops the transfer
        }
        parse_header_line(line, t->head, unix_now());
        return size * count;
    }

    static bool deliver_head(Transfer& t) {
        if (t.head_delivered)
            return !t.stop_requested;
        t.head_delivered = true;
        long code = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &code);
        if (code != 0)
            t.head.status = code;
        else if (t.is_file)
            t.head.status = t.ranged ? 206 : 200;
        if (!t.sink->on_head(t.head))
            t.stop_requested = true;
        return !t.stop_requested;
    }

    static size_t on_write(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        size_t n = size * count;
        if (t->cancelled || t->stop_requested)
            return CURL_WRITEFUNC_ERROR;
        if (!deliver_head(*t))
            return CURL_WRITEFUNC_ERROR;
        if (t->head.status < 200 || t->head.status >= 300)
            return n;  // error page: discard
        if (!t->sink->on_body(data, n)) {
            t->stop_requested = true;
            return CURL_WRITEFUNC_ERROR;
        }
        return n;
    }

    CURL* take_easy() {
        if (!idle_easies.empty()) {
            CURL* e = idle_easies.back();
            idle_easies.pop_back();
            curl_easy_reset(e);
            return e;
        }
        CURL* e = curl_easy_init();
        if (e == nullptr)
            throw Error("libcurl could not create a transfer handle", Exit::internal);
        return e;
    }

    void release(Transfer& t) {
        curl_multi_remove_handle(multi, t.easy);
        if (t.headers != nullptr)
            curl_slist_free_all(t.headers);
        t.headers = nullptr;
        idle_easies.push_back(t.easy);
        t.easy = nullptr;
    }
};

TransferEngine::TransferEngine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
    ensure_curl_global_init();
    impl_->options = std::move(options);
    impl_->setup = RequestSetup(impl_->options.network);
    impl_->multi = curl_multi_init();
    if (impl_->multi == nullptr)
        throw Error("libcurl could not create a multi handle", Exit::internal);
    if (impl_->options.user_agent.empty())
        impl_->options.user_agent = std::string("airlock/") + build_info::version;
    const auto& o = impl_->options;
    curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, o.max_idle_connections);
    curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, o.max_host_connections);
    curl_multi_setopt(impl_->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, o.max_total_connections);
    // One connection per transfer: HTTP/1.1 only, so never multiplexed.
    curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING,
                      o.connections == EngineOptions::Connections::multiplexed ? CURLPIPE_MULTIPLEX
                                                                               : CURLPIPE_NOTHING);
}

TransferEngine::~TransferEngine() {
    for (auto& [id, t] : impl_->transfers) {
        if (t->easy != nullptr)
            impl_->release(*t);
    }
    for (CURL* e : impl_->idle_easies)
        curl_easy_cleanup(e);
    curl_multi_cleanup(impl_->multi);
}

TransferId TransferEngine::start(const Request& request, TransferSink& sink) {
    auto& im = *impl_;
    auto t = std::make_unique<Impl::Transfer>();
    t->id = im.next_id++;
    t->sink = &sink;
    t->easy = im.take_easy();
    t->url = redact(request.url);
    t->is_file = request.url.starts_with("file:");
    t->ranged = request.range.has_value();
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    if (im.options.connections == EngineOptions::Connections::multiplexed) {
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    }
    if (im.options.sessions)
        curl_easy_setopt(e, CURLOPT_SHARE, im.options.sessions->handle());
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE,
                     request.buffer_size > 0 ? request.buffer_size : im.options.buffer_size);
    curl_easy_setopt(e, CURLOPT_USERAGENT, im.options.user_agent.c_str());
    im.setup.apply(e, request.url);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    for (const auto& header : request.headers)
        t->headers = curl_slist_append(t->headers, header.c_str());
    if (request.range) {
        const auto spec = request.range->spec();
        t->headers = curl_slist_append(t->headers, ("Range: bytes=" + spec).c_str());
        if (!request.if_range.empty()) {
            t->headers = curl_slist_append(t->headers, ("If-Range: " + request.if_range).c_str());
        }
        // FILE has no Range header; libcurl's own range option does the same job.
        if (t->is_file)
            curl_easy_setopt(e, CURLOPT_RANGE, spec.c_str());
    }
    if (request.encoding == Request::Encoding::any && !request.range) {
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    } else {
        // Bytes exactly as stored: no transparent decompression.
        t->headers = curl_slist_append(t->headers, "Accept-Encoding: identity");
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_PRIVATE,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(t->id)));
    auto id = t->id;
    if (curl_multi_add_handle(im.multi, e) != CURLM_OK) {
        im.release(*t);
        throw Error("libcurl could not start a transfer", Exit::internal);
    }
    im.transfers.emplace(id, std::move(t));
    return id;
}

void TransferEngine::cancel(TransferId id) {
    auto it = impl_->transfers.find(id);
    if (it == impl_->transfers.end())
        return;
    it->second->cancelled = true;
    impl_->to_cancel.push_back(id);
}

void TransferEngine::wakeup() {
    curl_multi_wakeup(impl_->multi);
}

std::size_t TransferEngine::running() const {
    return impl_->transfers.size();
}

std::size_t TransferEngine::run(std::chrono::milliseconds wait) {
    auto& im = *impl_;
    auto flush_cancelled = [&] {
        for (auto id : im.to_cancel) {
            auto it = im.transfers.find(id);
            if (it == im.transfers.end())
                continue;
            im.release(*it->second);
            im.transfers.erase(it);
        }
        im.to_cancel.clear();
    };
    flush_cancelled();
    struct Finished {
        CURL* easy;
        CURLcode code;
    };
    std::vector<Finished> finished;
    auto collect = [&] {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(im.multi, &left)) {
            if (msg->msg == CURLMSG_DONE)
                finished.push_back({msg->easy_handle, msg->data.result});
        }
    };
    int still = 0;
    curl_multi_perform(im.multi, &still);
    collect();
    if (finished.empty()) {
        // With no transfers this still waits (for `wait` or a wakeup()), so callers can idle
        // here; a transfer that has just ended is reported without waiting.
        curl_multi_poll(im.multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
        curl_multi_perform(im.multi, &still);
        collect();
    }
    for (const auto& [easy, finished_code] : finished) {
        void* priv = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        auto id = static_cast<TransferId>(reinterpret_cast<std::uintptr_t>(priv));
        auto it = im.transfers.find(id);
        if (it == im.transfers.end())
            continue;
        auto owned = std::move(it->second);
        im.transfers.erase(it);
        auto& t = *owned;
        CURLcode code = finished_code;
        if (t.cancelled) {
            im.release(t);
            continue;
        }
        if (t.is_file && code == CURLE_FILE_COULDNT_READ_FILE) {
            t.head = ResponseHead{};  // a file that is not there, as a server would say it
            t.head.status = 404;
            t.head_delivered = true;
            code = CURLE_OK;
            if (!t.sink->on_head(t.head))
                t.stop_requested = true;
        }
        TransferResult result;
        char* effective = nullptr;
        curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &effective);
        if (auto answered = Url::try_parse(effective ? effective : t.url))
            result.effective_url = answered->str();  // credential-free whatever a redirect said
        else
            result.effective_url = redact(t.url);
        // A response without a body (an empty file, a bare 503) still reports its head.
        if (!t.head_delivered && code == CURLE_OK)
            Impl::deliver_head(t);
        result.head = t.head;
        if (t.stop_requested) {
            result.outcome = TransferResult::Outcome::stopped;
        } else if (code == CURLE_OK) {
            result.outcome = TransferResult::Outcome::complete;
        } else {
            result.outcome = TransferResult::Outcome::failed;
            auto failure =
                describe_transfer_error(t.easy, code, t.errbuf, t.url, t.header_overflow);
            result.error = failure.message;
            result.connect_failed = failure.connect_failed;
            result.tls_failed = failure.tls_failed;
            result.retryable = failure.retryable;
        }
        im.release(t);
        t.sink->on_done(result);
    }
    flush_cancelled();
    return im.transfers.size();
}

}  // namespace airlock::net

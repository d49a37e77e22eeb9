#include "builder/net/transfer_engine.hpp"

#include "builder/net/curl_global.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/transfer_error.hpp"
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
        std::string url;  ///< for messages
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
    curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, impl_->options.max_idle_connections);
    // HTTP/1.1 only, so never multiplexed; each transfer gets a connection of its own.
    curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING);
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
    t->url = request.url;
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
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
    if (request.range) {
        std::string range = std::to_string(request.range->first) + "-";
        if (request.range->last)
            range += std::to_string(*request.range->last);
        t->headers = curl_slist_append(t->headers, ("Range: bytes=" + range).c_str());
        if (!request.if_range.empty()) {
            t->headers = curl_slist_append(t->headers, ("If-Range: " + request.if_range).c_str());
        }
    }
    // Bytes exactly as stored: no transparent decompression.
    t->headers = curl_slist_append(t->headers, "Accept-Encoding: identity");
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
    int still = 0;
    curl_multi_perform(im.multi, &still);
    // With no transfers this still waits (for `wait` or a wakeup()), so callers can idle here.
    curl_multi_poll(im.multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    curl_multi_perform(im.multi, &still);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(im.multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        void* priv = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        auto id = static_cast<TransferId>(reinterpret_cast<std::uintptr_t>(priv));
        auto it = im.transfers.find(id);
        if (it == im.transfers.end())
            continue;
        auto owned = std::move(it->second);
        im.transfers.erase(it);
        auto& t = *owned;
        CURLcode code = msg->data.result;
        if (t.cancelled) {
            im.release(t);
            continue;
        }
        TransferResult result;
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

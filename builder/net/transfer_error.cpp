#include "builder/net/transfer_error.hpp"

#include "builder/net/request_setup.hpp"
#include "builder/net/retry_policy.hpp"
#include "builder/net/tls.hpp"
#include "builder/net/url.hpp"

#include <curl/curl.h>

namespace airlock::net {

TransferError describe_transfer_error(void* handle, int raw_code, const char* errbuf,
                                      const std::string& url, bool header_overflow) {
    CURL* easy = static_cast<CURL*>(handle);
    auto code = static_cast<CURLcode>(raw_code);
    TransferError e;
    e.message = errbuf != nullptr && errbuf[0] != '\0' ? std::string(errbuf)
                                                       : std::string(curl_easy_strerror(code));
    long redirects = 0;
    curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirects);
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    std::string where;
    if (redirects > 0 && effective != nullptr)
        where = " (after " + std::to_string(redirects) + " redirect" + (redirects == 1 ? "" : "s") +
                ", at " + redact(effective) + ")";
    if (header_overflow || code == CURLE_OUT_OF_MEMORY) {
        e.message = "the server sent more than " +
                    std::to_string(max_response_header_bytes / 1024) +
                    " KiB of response headers (a misbehaving server or proxy)";
        return e;
    }
    if (is_tls_verification_failure(code)) {
        e.tls_failed = true;
        e.message = tls_failure_message(effective != nullptr ? redact(effective) : url, e.message);
        return e;
    }
    switch (code) {
        case CURLE_TOO_MANY_REDIRECTS:
            e.message = "more than " + std::to_string(max_redirects) +
                        " redirects (a redirect loop?)" + where;
            return e;
        case CURLE_UNSUPPORTED_PROTOCOL:
            e.message = (redirects > 0 ? "a redirect to a scheme other than http or https was "
                                         "refused: "
                                       : "") +
                        e.message + where;
            return e;
        case CURLE_OPERATION_TIMEDOUT:
            e.message = "stalled: " + e.message + where;
            e.retryable = true;
            return e;
        case CURLE_COULDNT_CONNECT:
            e.connect_failed = true;
            e.retryable = true;
            e.message += where;
            return e;
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_WEIRD_SERVER_REPLY:
            e.retryable = true;
            e.message += where;
            return e;
        default:
            break;
    }
    e.message += where;
    return e;
}

}  // namespace airlock::net

#include "builder/net/curl_global.hpp"

#include "core/base/error.hpp"

#include <curl/curl.h>

#include <mutex>

namespace airlock::net {

void ensure_curl_global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw Error("libcurl could not initialise", Exit::internal);
        }
    });
}

std::string redact(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return std::string(url);
    auto authority_start = scheme_end + 3;
    auto authority_end = url.find_first_of("/?#", authority_start);
    auto authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : authority_end - authority_start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::string(url);
    return std::string(url.substr(0, authority_start)) + "***@" +
           std::string(url.substr(authority_start + at + 1));
}

std::string origin_of(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return {};
    auto authority_end = url.find_first_of("/?#", scheme_end + 3);
    std::string origin(url.substr(0, authority_end));
    auto at = origin.rfind('@');
    if (at != std::string::npos && at > scheme_end)
        origin.erase(scheme_end + 3, at - scheme_end - 2);
    return origin;
}

}  // namespace airlock::net

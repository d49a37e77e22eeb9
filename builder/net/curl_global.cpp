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

}  // namespace airlock::net

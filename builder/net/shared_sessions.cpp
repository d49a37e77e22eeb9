#include "builder/net/shared_sessions.hpp"

#include "builder/net/curl_global.hpp"
#include "core/base/error.hpp"

#include <curl/curl.h>

namespace airlock::net {

namespace {

using Locks = std::array<std::mutex, 16>;
static_assert(CURL_LOCK_DATA_LAST <= 16, "SharedSessions has too few locks");

void lock_share(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    (*static_cast<Locks*>(user))[static_cast<std::size_t>(data)].lock();
}

void unlock_share(CURL*, curl_lock_data data, void* user) {
    (*static_cast<Locks*>(user))[static_cast<std::size_t>(data)].unlock();
}

}  // namespace

SharedSessions::SharedSessions() {
    ensure_curl_global_init();
    CURLSH* share = curl_share_init();
    if (share == nullptr)
        throw Error("libcurl could not create a share handle", Exit::internal);
    share_ = share;
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &lock_share);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &unlock_share);
    curl_share_setopt(share, CURLSHOPT_USERDATA, &locks_);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

SharedSessions::~SharedSessions() {
    curl_share_cleanup(static_cast<CURLSH*>(share_));
}

}  // namespace airlock::net

#pragma once
/// DNS answers and TLS sessions shared by transfer engines on several threads (libcurl's share
/// interface), so a second engine to the same server resumes TLS instead of a full handshake.

#include <array>
#include <mutex>

namespace airlock::net {

class SharedSessions {
  public:
    SharedSessions();
    ~SharedSessions();
    SharedSessions(const SharedSessions&) = delete;
    SharedSessions& operator=(const SharedSessions&) = delete;

    /// The CURLSH* to set on each transfer (CURLOPT_SHARE).
    void* handle() const { return share_; }

  private:
    using Locks = std::array<std::mutex, 16>;  ///< one per kind of data (CURL_LOCK_DATA_LAST)
    void* share_ = nullptr;
    Locks locks_;
};

}  // namespace airlock::net

#pragma once
/// What every request carries besides its URL, the same for index pages, metadata and files:
/// the CA bundle, the proxy, the credentials, pip's `trusted-host`, the timeouts, the redirect
/// rules and the retry policy, attached when the request is made.

#include "builder/net/credential_store.hpp"
#include "builder/net/proxy.hpp"
#include "builder/net/retry_policy.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace airlock::net {

struct NetworkOptions {
    /// `--cert`: the CA bundle for TLS; empty: SSL_CERT_FILE when set, else the system store.
    std::filesystem::path ca_file;
    /// Credentials per server; null: those of ~/.netrc ($NETRC) only.
    std::shared_ptr<const CredentialStore> credentials;
    /// pip's `trusted-host`: `host` or `host:port` whose TLS certificate is not verified.
    std::vector<std::string> trusted_hosts;
    /// Stall detection instead of a total timeout: a transfer slower than `stall_bytes_per_second`
    /// for `stall` is abandoned and retried (a 3 GB file never hits a fixed deadline).
    std::chrono::seconds stall{30};
    long stall_bytes_per_second = 1024;
    std::chrono::seconds connect_timeout{20};
    /// When to ask again and how long to wait (`--retries` sets `retry.retries`).
    RetryPolicy retry;
};

/// Redirects followed per request (to any host, http or https only, like pip); beyond it, or
/// to another scheme, the request fails naming the redirect.
inline constexpr long max_redirects = 10;

/// NetworkOptions plus what the environment says (SSL_CERT_FILE, SSL_CERT_DIR, proxies; NETRC
/// when no credentials are given), read once when a client is made, not at process start.
class RequestSetup {
  public:
    explicit RequestSetup(NetworkOptions options = {});

    /// Sets the CA bundle, proxy, the credentials for `url`, trust, the timeouts and the
    /// redirect rules on `easy` (a CURL*).
    void apply(void* easy, const std::string& url) const;

    const NetworkOptions& options() const { return options_; }

  private:
    NetworkOptions options_;
    std::string ca_file_;
    std::optional<std::string> ca_dir_;
    ProxyConfig proxy_;
};

}  // namespace airlock::net

#pragma once
/// What every request carries besides its URL, the same for index pages, metadata and files:
/// the CA bundle, the proxy, and the credentials, attached when the request is made.

#include "builder/net/credential_store.hpp"
#include "builder/net/proxy.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace airlock::net {

struct NetworkOptions {
    /// `--cert`: the CA bundle for TLS; empty: SSL_CERT_FILE when set, else the system store.
    std::filesystem::path ca_file;
    /// Credentials per server; null: none (~/.netrc, or $NETRC, still applies).
    std::shared_ptr<const CredentialStore> credentials;
};

/// NetworkOptions plus what the environment says (SSL_CERT_FILE, SSL_CERT_DIR, NETRC, proxies),
/// read once when a client is made, not at process start.
class RequestSetup {
  public:
    explicit RequestSetup(NetworkOptions options = {});

    /// Sets the CA bundle, proxy, ~/.netrc and the credentials for `url` on `easy` (a CURL*).
    void apply(void* easy, const std::string& url) const;

  private:
    NetworkOptions options_;
    std::string ca_file_;
    std::optional<std::string> ca_dir_;
    std::optional<std::string> netrc_file_;
    ProxyConfig proxy_;
};

}  // namespace airlock::net

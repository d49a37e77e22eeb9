#include "builder/net/request_setup.hpp"

#include "builder/net/netrc.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>

namespace airlock::net {
namespace {

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

}  // namespace

RequestSetup::RequestSetup(NetworkOptions options)
    : options_(std::move(options)),
      ca_file_(!options_.ca_file.empty() ? options_.ca_file.string()
                                         : env("SSL_CERT_FILE").value_or("")),
      ca_dir_(options_.ca_file.empty() ? env("SSL_CERT_DIR") : std::nullopt),
      proxy_(ProxyConfig::from_process_environment()) {
    if (!options_.credentials) {
        auto store = std::make_shared<CredentialStore>();
        add_netrc(*store, read_process_netrc());
        options_.credentials = std::move(store);
    }
}

void RequestSetup::apply(void* handle, const std::string& url) const {
    CURL* easy = static_cast<CURL*>(handle);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, options_.stall_bytes_per_second);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall.count()));
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    if (!ca_file_.empty())
        curl_easy_setopt(easy, CURLOPT_CAINFO, ca_file_.c_str());
    if (ca_dir_)
        curl_easy_setopt(easy, CURLOPT_CAPATH, ca_dir_->c_str());
    // Always explicit, so libcurl's own environment lookup (lower-case only) never decides.
    auto parsed = Url::try_parse(url);
    const std::string& proxy = proxy_.for_scheme(parsed ? parsed->scheme() : std::string());
    curl_easy_setopt(easy, CURLOPT_PROXY, proxy.c_str());
    curl_easy_setopt(easy, CURLOPT_NOPROXY, proxy_.no_proxy.c_str());
    // .netrc is read once, into the credential store (netrc.hpp), never by libcurl.
    curl_easy_setopt(easy, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
    if (parsed && !options_.trusted_hosts.empty() && parsed->scheme() == "https") {
        auto host = parsed->host();
        auto with_port = host + ":" + std::to_string(parsed->port());
        if (std::any_of(options_.trusted_hosts.begin(), options_.trusted_hosts.end(),
                        [&](const std::string& t) { return t == host || t == with_port; })) {
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        }
    }
    if (options_.credentials && parsed) {
        if (const auto* credentials = options_.credentials->find(*parsed)) {
            curl_easy_setopt(easy, CURLOPT_USERNAME, credentials->user.c_str());
            curl_easy_setopt(easy, CURLOPT_PASSWORD, credentials->password.c_str());
            curl_easy_setopt(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        }
    }
}

}  // namespace airlock::net

#pragma once
/// HTTP proxies from the environment, chosen as pip (Python's urllib) chooses them, and set on
/// each request explicitly: libcurl alone ignores upper-case HTTP_PROXY (for CGI safety), which
/// pip honours.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::net {

struct ProxyConfig {
    std::string http;      ///< proxy for http:// URLs; "" for none
    std::string https;     ///< proxy for https:// URLs; "" for none
    std::string no_proxy;  ///< hosts reached directly: comma-separated, `*` for all

    /// `<scheme>_proxy` in lower case, else upper case, else `all_proxy`/`ALL_PROXY`; a set but
    /// empty lower-case variable means none. `no_proxy` likewise. Upper-case HTTP_PROXY is
    /// ignored when REQUEST_METHOD is set (a CGI script: the header Proxy: sets it), as urllib.
    static ProxyConfig from_environment(
        const std::function<std::optional<std::string>(const char*)>& env);
    /// from_environment(std::getenv).
    static ProxyConfig from_process_environment();

    /// The proxy for a URL of `scheme` ("" for none; file:// never has one).
    const std::string& for_scheme(std::string_view scheme) const;
};

}  // namespace airlock::net

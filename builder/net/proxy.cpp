#include "builder/net/proxy.hpp"

#include <cstdlib>

namespace airlock::net {
namespace {

using Env = std::function<std::optional<std::string>(const char*)>;

/// The lower-case variable when set (even empty), else the non-empty upper-case one.
std::optional<std::string> either_case(const Env& env, const std::string& lower,
                                       const std::string& upper, bool upper_allowed = true) {
    if (auto value = env(lower.c_str()))
        return value;
    if (!upper_allowed)
        return std::nullopt;
    auto value = env(upper.c_str());
    if (value && value->empty())
        return std::nullopt;
    return value;
}

}  // namespace

ProxyConfig ProxyConfig::from_environment(const Env& env) {
    ProxyConfig config;
    auto all = either_case(env, "all_proxy", "ALL_PROXY").value_or("");
    bool cgi = env("REQUEST_METHOD").has_value();
    config.http = either_case(env, "http_proxy", "HTTP_PROXY", !cgi).value_or(all);
    config.https = either_case(env, "https_proxy", "HTTPS_PROXY").value_or(all);
    config.no_proxy = either_case(env, "no_proxy", "NO_PROXY").value_or("");
    return config;
}

ProxyConfig ProxyConfig::from_process_environment() {
    return from_environment([](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (!value)
            return std::nullopt;
        return std::string(value);
    });
}

const std::string& ProxyConfig::for_scheme(std::string_view scheme) const {
    static const std::string none;
    if (scheme == "https")
        return https;
    if (scheme == "http")
        return http;
    return none;
}

}  // namespace airlock::net

#include "builder/net/proxy.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace airlock::net;

namespace {

ProxyConfig config(std::map<std::string, std::string> vars) {
    return ProxyConfig::from_environment([vars](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    });
}

}  // namespace

TEST(ProxyConfig, EitherCaseLowerWinsAsPipDoes) {
    auto upper = config({{"HTTP_PROXY", "http://p:3128"},
                         {"HTTPS_PROXY", "http://s:3128"},
                         {"NO_PROXY", "localhost,.corp"}});
    EXPECT_EQ(upper.for_scheme("http"), "http://p:3128");  // libcurl alone ignores this one
    EXPECT_EQ(upper.for_scheme("https"), "http://s:3128");
    EXPECT_EQ(upper.no_proxy, "localhost,.corp");
    EXPECT_EQ(upper.for_scheme("file"), "");

    auto both = config({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}});
    EXPECT_EQ(both.for_scheme("https"), "http://lower:1");
    auto emptied = config({{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:2"}});
    EXPECT_EQ(emptied.for_scheme("https"), "");

    auto all = config({{"ALL_PROXY", "socks5://a:1080"}, {"http_proxy", "http://h:1"}});
    EXPECT_EQ(all.for_scheme("http"), "http://h:1");
    EXPECT_EQ(all.for_scheme("https"), "socks5://a:1080");

    EXPECT_EQ(config({}).for_scheme("https"), "");
}

TEST(ProxyConfig, CgiIgnoresUpperCaseHttpProxy) {
    auto cgi = config({{"REQUEST_METHOD", "GET"}, {"HTTP_PROXY", "http://evil:1"}});
    EXPECT_EQ(cgi.for_scheme("http"), "");
    auto lower = config({{"REQUEST_METHOD", "GET"}, {"http_proxy", "http://ok:1"}});
    EXPECT_EQ(lower.for_scheme("http"), "http://ok:1");
}

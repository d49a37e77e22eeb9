#include "builder/net/netrc.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using namespace airlock;
using namespace airlock::net;

TEST(Netrc, MachinesDefaultMacrosAndComments) {
    auto entries = parse_netrc(
        "# mirrors\n"
        "machine Mirror.Example login alice password 's3cret'\n"
        "machine 127.0.0.1\n  login bob\n  password \"two words\"\n  account x\n"
        "macdef init\ncd /\nls\n\n"
        "default login anon password guest\n",
        "netrc");
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].machine, "mirror.example");
    EXPECT_EQ(entries[0].credentials.user, "alice");
    EXPECT_EQ(entries[0].credentials.password, "'s3cret'");
    EXPECT_EQ(entries[0].where.line, 2u);
    EXPECT_EQ(entries[1].credentials.password, "two words");
    EXPECT_EQ(entries[2].machine, "");
    EXPECT_EQ(entries[2].credentials.user, "anon");
}

TEST(Netrc, ErrorsPointAtTheToken) {
    try {
        parse_netrc("login alice\n", "/home/u/.netrc");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/home/u/.netrc:1:1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_netrc("machine h login\n", "n"), Error);
    EXPECT_THROW(parse_netrc("machine h user alice\n", "n"), Error);
}

TEST(Netrc, StoreUsesHostThenDefaultAfterRoots) {
    CredentialStore store;
    store.add(Url::parse("https://h.org/simple"), {"root", "r"});
    add_netrc(store, parse_netrc("machine h.org login n password p\n"
                                 "machine other.org login o password q\n"
                                 "machine other.org login ignored password z\n"
                                 "default login d password e\n",
                                 "netrc"));
    auto user = [&](const char* url) {
        const auto* found = store.find(url);
        return found ? found->user : std::string("-");
    };
    EXPECT_EQ(user("https://h.org/simple/x/"), "root");
    EXPECT_EQ(user("http://h.org:8080/x"), "n");        // another origin: the netrc host entry
    EXPECT_EQ(user("https://other.org/simple/"), "o");  // the first entry for a host wins
    EXPECT_EQ(user("https://elsewhere.org/"), "d");
    EXPECT_EQ(user("file:///srv/wheels/x.whl"), "-");
}

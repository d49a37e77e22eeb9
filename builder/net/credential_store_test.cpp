#include "builder/net/credential_store.hpp"

#include <gtest/gtest.h>

using namespace airlock::net;

TEST(CredentialStore, SameOriginOnlyLongestRootFirst) {
    CredentialStore store;
    EXPECT_EQ(store.find("https://h.org/simple/x/"), nullptr);
    store.add(Url::parse("https://h.org/simple"), {"alice", "a"});
    store.add(Url::parse("https://h.org:443/private/simple"), {"bob", "b"});
    store.add(Url::parse("http://127.0.0.1:8080/mirror/simple"), {"carol", "c"});
    auto user = [&](const char* url) {
        const auto* found = store.find(url);
        return found ? found->user : std::string("-");
    };
    EXPECT_EQ(user("https://h.org/simple/torch/"), "alice");
    EXPECT_EQ(user("https://h.org:443/private/simple/torch/"), "bob");
    EXPECT_EQ(user("https://h.org/private/simple"), "bob");
    EXPECT_EQ(user("https://h.org/packages/ab/torch.whl"), "alice");  // files elsewhere on it
    EXPECT_EQ(user("http://h.org/simple/torch/"), "-");               // another scheme
    EXPECT_EQ(user("https://h.org:8443/simple/"), "-");               // another port
    EXPECT_EQ(user("https://evil.org/simple/"), "-");
    EXPECT_EQ(user("http://127.0.0.1:8080/mirror/simple/x/a.whl.metadata"), "carol");
    EXPECT_EQ(user("http://127.0.0.1:8081/mirror/simple/x/"), "-");
}

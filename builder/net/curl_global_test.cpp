#include "builder/net/curl_global.hpp"

#include <gtest/gtest.h>

using namespace airlock::net;

TEST(Redact, RemovesCredentials) {
    EXPECT_EQ(redact("https://user:secret@example.org/simple/"), "https://***@example.org/simple/");
    EXPECT_EQ(redact("https://example.org/a@b"), "https://example.org/a@b");
    EXPECT_EQ(redact("not a url"), "not a url");
}

TEST(OriginOf, HostAndPortWithoutCredentials) {
    EXPECT_EQ(origin_of("http://127.0.0.1:8080/simple/x/"), "http://127.0.0.1:8080");
    EXPECT_EQ(origin_of("https://u:p@h.org/x"), "https://h.org");
    EXPECT_EQ(origin_of("https://h.org"), "https://h.org");
}

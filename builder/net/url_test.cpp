#include "builder/net/url.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using namespace airlock;
using namespace airlock::net;

TEST(Url, CredentialsAreSplitOffAndNeverInTheText) {
    std::optional<Credentials> credentials;
    auto url = Url::parse("https://alice:s3cr%40t@Example.ORG:443/simple/", &credentials);
    EXPECT_EQ(url.str(), "https://example.org/simple/");
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->user, "alice");
    EXPECT_EQ(credentials->password, "s3cr@t");
    EXPECT_EQ(Url::parse("http://token@h/x").str(), "http://h/x");
    EXPECT_FALSE(Url::parse("http://h/x", &credentials).str().empty());
    EXPECT_FALSE(credentials);
}

TEST(Url, OriginsWithAndWithoutDefaultPortAreEqual) {
    const std::pair<const char*, const char*> table[] = {
        {"http://127.0.0.1:8080/simple/x/", "http://127.0.0.1:8080"},
        {"https://u:p@h.org/x", "https://h.org"},
        {"https://h.org", "https://h.org"},
        {"https://H.org:443/a", "https://h.org"},
        {"http://h.org:80/a", "http://h.org"},
        {"http://h.org:443/a", "http://h.org:443"},
        {"http://[::1]:8080/x", "http://[::1]:8080"},
        {"file:///srv/simple", "file://"},
    };
    for (auto [url, origin] : table)
        EXPECT_EQ(Url::parse(url).origin(), origin) << url;
    EXPECT_EQ(origin_of("https://h.org:443/x"), origin_of("https://h.org/y"));
    EXPECT_EQ(origin_of("not a url"), "");
}

TEST(Url, RefusesWhatIsNotAnHttpOrFileUrl) {
    for (const char* text : {"ftp://h/x", "simple/x", "", "http://", "http://h/a\x01"}) {
        EXPECT_THROW(Url::parse(text), Error) << text;
        EXPECT_FALSE(Url::try_parse(text)) << text;
    }
    try {
        Url::parse("gopher://alice:s3cret@h/x");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
    }
}

TEST(Url, Rfc3986ReferenceResolution) {
    // RFC 3986 §5.4.1 normal examples, base http://a/b/c/d;p?q (an empty path prints as "/").
    auto base = Url::parse("http://a/b/c/d;p?q");
    const std::pair<const char*, const char*> table[] = {
        {"g", "http://a/b/c/g"},     {"./g", "http://a/b/c/g"},      {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},        {"//g", "http://g/"},           {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"},
        {"", "http://a/b/c/d;p?q"},  {".", "http://a/b/c/"},         {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},       {"../", "http://a/b/"},         {"../g", "http://a/b/g"},
        {"../..", "http://a/"},      {"../../g", "http://a/g"},      {"../../../g", "http://a/g"},
    };
    for (auto [reference, expected] : table) {
        auto resolved = base.resolve(reference);
        ASSERT_TRUE(resolved) << reference;
        EXPECT_EQ(resolved->str(), expected) << reference;
    }
    EXPECT_FALSE(base.resolve("g:h"));  // not a scheme airlock fetches
}

TEST(Url, IndexLinks) {
    auto page = Url::parse("http://127.0.0.1:8080/simple/torch/");
    EXPECT_EQ(
        page.resolve("../../packages/torch/torch-2.5.1-cp312-cp312-linux_x86_64.whl#sha256=ab")
            ->str(),
        "http://127.0.0.1:8080/packages/torch/torch-2.5.1-cp312-cp312-linux_x86_64.whl#sha256=ab");
    EXPECT_EQ(
        Url::parse("https://download.pytorch.org/whl/cu124/torch/")
            .resolve("/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl")
            ->str(),
        "https://download.pytorch.org/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl");
    // An absolute href that names credentials: they are dropped, never carried on.
    EXPECT_EQ(page.resolve("http://mallory:pw@127.0.0.1:8080/x.whl")->str(),
              "http://127.0.0.1:8080/x.whl");
    EXPECT_EQ(page.resolve("a b.whl")->str(), "http://127.0.0.1:8080/simple/torch/a%20b.whl");
}

TEST(Url, PathAndFragment) {
    auto url = Url::parse("http://h/simple/x/a.whl?q=1#sha256=ab");
    EXPECT_EQ(url.path(), "/simple/x/a.whl");
    EXPECT_EQ(url.without_fragment(), "http://h/simple/x/a.whl?q=1");
}

TEST(Redact, RemovesCredentials) {
    EXPECT_EQ(redact("https://user:secret@example.org/simple/"), "https://example.org/simple/");
    EXPECT_EQ(redact("https://example.org/a@b"), "https://example.org/a@b");
    EXPECT_EQ(redact("not a url"), "not a url");
    EXPECT_EQ(redact("gopher://user:secret@example.org/x"), "gopher://***@example.org/x");
}

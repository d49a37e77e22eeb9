#include "builder/net/http_cache.hpp"

#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace airlock::net;
namespace fs = std::filesystem;

using airlock::test_support::TempDir;

TEST(HttpCache, StoresAndLoadsAnEntry) {
    TempDir dir("airlock-http-cache-");
    HttpCache cache(dir / "http");
    auto key =
        HttpCache::key("https://pypi.org/simple/idna/", "application/vnd.pypi.simple.v1+json");
    EXPECT_NE(key, HttpCache::key("https://pypi.org/simple/idna/", "text/html"));
    EXPECT_FALSE(cache.load(key));
    CacheEntry entry;
    entry.url = "https://pypi.org/simple/idna/";
    entry.effective_url = entry.url;
    entry.content_type = "application/vnd.pypi.simple.v1+json";
    entry.headers = {{"etag", "\"abc\""},
                     {"content-type", entry.content_type},
                     {"cache-control", "max-age=600, public"},
                     {"set-cookie", "not kept"}};
    entry.body = std::string("{\"files\": []}\n\nbinary\0body", 26);
    entry.stored_at = 1000;
    cache.store(key, entry);
    auto loaded = cache.load(key);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->body, entry.body);
    EXPECT_EQ(loaded->url, entry.url);
    EXPECT_EQ(loaded->content_type, entry.content_type);
    EXPECT_EQ(loaded->header("etag"), "\"abc\"");
    EXPECT_FALSE(loaded->header("set-cookie"));
    EXPECT_EQ(loaded->max_age(), 600);
    EXPECT_TRUE(loaded->fresh(1599));
    EXPECT_FALSE(loaded->fresh(1600));
}

TEST(HttpCache, RejectsTornEntries) {
    TempDir dir("airlock-http-cache-");
    HttpCache cache(dir.path());
    CacheEntry entry;
    entry.url = "u";
    entry.body = "0123456789";
    cache.store("abcdef", entry);
    auto path = dir / "ab" / "abcdef";
    ASSERT_TRUE(fs::exists(path));
    fs::resize_file(path, fs::file_size(path) - 3);
    EXPECT_FALSE(cache.load("abcdef"));
}

TEST(HttpCache, NoCacheMeansNoFreshness) {
    CacheEntry entry;
    entry.headers["cache-control"] = "no-cache, max-age=600";
    EXPECT_EQ(entry.max_age(), 0);
    entry.headers["cache-control"] = "Max-Age=30";
    EXPECT_EQ(entry.max_age(), 30);
}

#include "builder/fetch/cache.hpp"
#include "builder/net/http_client.hpp"

#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace airlock::fetch;
namespace fs = std::filesystem;

TEST(Cache, CommitsUnderTheHashAndFindsItAgain) {
    airlock::test_support::TempDir dir("airlock-cache-test-");
    auto root = dir / "cache";  // the cache creates its root
    Cache cache(root);
    auto sha = airlock::digest::sha256_hex("hello");
    EXPECT_FALSE(cache.lookup(sha));
    auto tmp = cache.tmp_dir() / "x.part";
    airlock::test_support::write_file(tmp, "hello");
    auto blob = cache.commit(tmp, sha);
    EXPECT_EQ(blob, root / "blobs" / "sha256" / sha.substr(0, 2) / sha.substr(2));
    EXPECT_FALSE(fs::exists(tmp));
    ASSERT_TRUE(cache.lookup(sha));
    EXPECT_EQ(*cache.lookup(sha), blob);
    EXPECT_FALSE(cache.lookup("not-a-hash"));

    auto dest = root / "out" / "hello.txt";
    fs::create_directories(dest.parent_path());
    place_file(blob, dest);
    EXPECT_EQ(airlock::digest::sha256_file(dest), sha);
    place_file(blob, dest);  // replacing is fine
}

TEST(Cache, DefaultDirectoryFollowsTheEnvironment) {
    ::setenv("AIRLOCK_CACHE_DIR", "/x/airlock-cache", 1);
    EXPECT_EQ(airlock::net::default_cache_dir(), fs::path("/x/airlock-cache"));
    ::unsetenv("AIRLOCK_CACHE_DIR");
    ::setenv("XDG_CACHE_HOME", "/x/xdg", 1);
    EXPECT_EQ(airlock::net::default_cache_dir(), fs::path("/x/xdg/airlock"));
    ::unsetenv("XDG_CACHE_HOME");
    ::setenv("HOME", "/x/home", 1);
    EXPECT_EQ(airlock::net::default_cache_dir(), fs::path("/x/home/.cache/airlock"));
}

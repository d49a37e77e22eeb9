#include "builder/index/find_links.hpp"

#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace airlock::index;

TEST(FindLinks, WhichProjectAFileBelongsTo) {
    EXPECT_TRUE(
        is_distribution_of("typing_extensions-4.12.2-py3-none-any.whl", "typing-extensions"));
    EXPECT_FALSE(is_distribution_of("typing_extensions-4.12.2-py3-none-any.whl", "typing"));
    EXPECT_TRUE(is_distribution_of("python-dateutil-2.9.0.tar.gz", "python-dateutil"));
    EXPECT_FALSE(is_distribution_of("python-dateutil-2.9.0.tar.gz", "python"));
    EXPECT_TRUE(is_distribution_of("Zope.Interface-6.0.zip", "zope-interface"));
    EXPECT_FALSE(is_distribution_of("README.txt", "readme"));
}

TEST(FindLinks, FolderListingHashesOnlyTheProjectsFiles) {
    using airlock::test_support::write_file;
    airlock::test_support::TempDir temp("airlock-find-links-test-");
    const auto& dir = temp.path();
    std::filesystem::create_directories(dir / "sub dir");
    write_file(dir / "a-1.0-py3-none-any.whl", "wheel a");
    write_file(dir / "b-2.0.tar.gz", "sdist b");
    write_file(dir / "notes.txt", "not a distribution");
    write_file(dir / ".hidden-1.0-py3-none-any.whl", "hidden");
    write_file(dir / "sub dir" / "c-1.0-py3-none-any.whl", "not recursive");
    auto listing = list_folder(dir);
    ASSERT_EQ(listing.size(), 2u);
    EXPECT_EQ(listing[0].filename, "a-1.0-py3-none-any.whl");
    EXPECT_EQ(listing[0].url, "file://" + (dir / "a-1.0-py3-none-any.whl").string());
    EXPECT_EQ(listing[0].size, 7u);
    EXPECT_FALSE(listing[0].sha256());
    auto files = project_files(listing, "a");
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].sha256(), airlock::digest::sha256_hex("wheel a"));
    EXPECT_EQ(local_path(files[0].url), dir / "a-1.0-py3-none-any.whl");
    EXPECT_EQ(local_path("file:///x/sub%20dir/a.whl"), std::filesystem::path("/x/sub dir/a.whl"));
    EXPECT_FALSE(local_path("https://h/a.whl"));
}

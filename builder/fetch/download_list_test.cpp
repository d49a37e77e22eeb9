#include "builder/fetch/download_list.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using namespace airlock::fetch;

TEST(DownloadList, ParsesUrlsMirrorsHashAndSize) {
    auto hex = std::string(64, 'A');
    auto items = parse_download_list(
        "# a comment\n"
        "\n"
        "https://a.org/x/torch-2.5.1-cp312.whl?x=1 https://m.org/torch-2.5.1-cp312.whl sha256=" +
            hex +
            " size=42\r\n"
            "http://h/b.tar.gz  # trailing comment\n",
        "list.txt");
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].filename, "torch-2.5.1-cp312.whl");
    ASSERT_EQ(items[0].urls.size(), 2u);
    EXPECT_EQ(items[0].urls[1], "https://m.org/torch-2.5.1-cp312.whl");
    EXPECT_EQ(items[0].sha256, std::string(64, 'a'));
    EXPECT_EQ(items[0].size, 42u);
    EXPECT_EQ(items[1].filename, "b.tar.gz");
    EXPECT_TRUE(items[1].sha256.empty());
    EXPECT_FALSE(items[1].size);
}

TEST(DownloadList, ErrorsPointAtTheLineAndColumn) {
    try {
        parse_download_list("http://h/a.whl\nhttp://h/b.whl sha256=abc\n", "list.txt");
        FAIL() << "expected an error";
    } catch (const airlock::Error& e) {
        std::string text = e.what();
        EXPECT_NE(text.find("list.txt:2:23"), std::string::npos) << text;
        EXPECT_NE(text.find("expected 64 hex digits"), std::string::npos) << text;
    }
    EXPECT_THROW(parse_download_list("ftp.example.org/a\n", "l"), airlock::Error);
    EXPECT_THROW(parse_download_list("size=12\n", "l"), airlock::Error);
    EXPECT_THROW(parse_download_list("http://h/dir/\n", "l"), airlock::Error);
}

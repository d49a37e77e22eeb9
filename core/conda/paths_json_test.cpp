#include "core/conda/paths_json.hpp"

#include "core/base/error.hpp"
#include "core/conda/link_json.hpp"

#include <gtest/gtest.h>

namespace airlock::conda {
namespace {

const std::string sha(64, 'a');

TEST(PathsJson, ParsesEveryField) {
    auto p = PathsJson::parse(R"({"paths_version": 1, "paths": [
        {"_path": "lib/libz.so.1", "path_type": "hardlink", "sha256": ")" +
                              sha + R"(",
         "size_in_bytes": 12, "prefix_placeholder": "/opt/anaconda1anaconda2anaconda3",
         "file_mode": "binary"},
        {"_path": "lib/libz.so", "path_type": "softlink", "sha256": ")" +
                              sha + R"(",
         "size_in_bytes": 9},
        {"_path": "share/empty", "path_type": "directory"},
        {"_path": "bin/tool", "path_type": "hardlink", "no_link": true}]})");
    ASSERT_EQ(p.entries.size(), 4u);
    EXPECT_FALSE(p.legacy);
    // Sorted by path.
    EXPECT_EQ(p.entries[0].path, "bin/tool");
    EXPECT_TRUE(p.entries[0].no_link);
    EXPECT_FALSE(p.entries[0].sha256);
    const auto* so = p.find("lib/libz.so.1");
    ASSERT_NE(so, nullptr);
    EXPECT_EQ(so->type, PathType::hardlink);
    EXPECT_EQ(so->sha256, sha);
    EXPECT_EQ(so->size, 12u);
    EXPECT_EQ(so->prefix_placeholder, "/opt/anaconda1anaconda2anaconda3");
    EXPECT_EQ(so->file_mode, FileMode::binary);
    EXPECT_EQ(p.find("lib/libz.so")->type, PathType::softlink);
    EXPECT_EQ(p.find("share/empty")->type, PathType::directory);
    EXPECT_EQ(p.find("nothing"), nullptr);
}

TEST(PathsJson, UppercaseDigestIsLowered) {
    auto p = PathsJson::parse(R"({"paths_version": 1, "paths": [{"_path": "a", "sha256": ")" +
                              std::string(64, 'A') + R"("}]})");
    EXPECT_EQ(p.entries[0].sha256, sha);
}

TEST(PathsJson, RefusesUnsafeAndMalformed) {
    auto entry = [](const std::string& body) {
        return R"({"paths_version": 1, "paths": [)" + body + "]}";
    };
    const std::string bad[] = {
        "not json",
        R"({"paths_version": 2, "paths": []})",
        R"({"paths_version": 1})",
        entry(R"({"_path": "/etc/passwd"})"),
        entry(R"({"_path": "lib/../../x"})"),
        entry(R"({"_path": "lib//x"})"),
        entry(R"({"_path": "lib\\x"})"),
        entry(R"({"_path": "a\u001bb"})"),
        entry(R"({"path_type": "hardlink"})"),
        entry(R"({"_path": "a", "path_type": "fifo"})"),
        entry(R"({"_path": "a", "sha256": "abc"})"),
        entry(R"({"_path": "a", "size_in_bytes": -1})"),
        entry(R"({"_path": "a", "file_mode": "octal"})"),
        entry(R"({"_path": "a", "prefix_placeholder": ""})"),
        entry(R"({"_path": "a"}, {"_path": "a"})"),
    };
    for (const auto& text : bad)
        EXPECT_THROW(PathsJson::parse(text), Error) << text;
}

TEST(PathsJson, LegacyFilesAndHasPrefix) {
    auto p = PathsJson::from_legacy("bin/tool\nlib/libx.so\nshare/a b.txt\n",
                                    "bin/tool\n/opt/build/placehold binary lib/libx.so\n"
                                    "\"/opt/p\" text \"share/a b.txt\"\n",
                                    "lib/libx.so\n");
    EXPECT_TRUE(p.legacy);
    ASSERT_EQ(p.entries.size(), 3u);
    EXPECT_EQ(p.find("bin/tool")->prefix_placeholder, std::string(default_placeholder));
    EXPECT_EQ(p.find("bin/tool")->file_mode, FileMode::text);
    EXPECT_EQ(p.find("lib/libx.so")->prefix_placeholder, "/opt/build/placehold");
    EXPECT_EQ(p.find("lib/libx.so")->file_mode, FileMode::binary);
    EXPECT_TRUE(p.find("lib/libx.so")->no_link);
    EXPECT_EQ(p.find("share/a b.txt")->prefix_placeholder, "/opt/p");
    EXPECT_THROW(PathsJson::from_legacy("../x\n", "", ""), Error);
    EXPECT_THROW(PathsJson::from_legacy("a\n", "b\n", ""), Error);  // not in info/files
    EXPECT_THROW(PathsJson::from_legacy("a\n", "/p octal a\n", ""), Error);
}

TEST(LinkJson, EntryPoints) {
    auto l = LinkJson::parse(R"({"noarch": {"type": "python", "entry_points":
        ["jupyter-lab = jupyterlab.labapp:main", "x=a:B.run"]}, "package_metadata_version": 1})");
    EXPECT_EQ(l.noarch, "python");
    ASSERT_EQ(l.entry_points.size(), 2u);
    EXPECT_EQ(l.entry_points[0].command, "jupyter-lab");
    EXPECT_EQ(l.entry_points[0].module, "jupyterlab.labapp");
    EXPECT_EQ(l.entry_points[0].function, "main");
    EXPECT_EQ(l.entry_points[1].function, "B.run");
    for (const char* bad : {"x", "x = a", "../x = a:b", "x = a b:c", "x = a:b; import os",
                            "x = a:b()", ".x = a:b", "x = 1a:b", "x/y = a:b"})
        EXPECT_THROW(EntryPoint::parse(bad), Error) << bad;
    EXPECT_THROW(LinkJson::parse(R"({"noarch": {"type": "ruby"}})"), Error);
    EXPECT_TRUE(LinkJson::parse(R"({"package_metadata_version": 1})").noarch.empty());
}

}  // namespace
}  // namespace airlock::conda

#include "installer/conda/explicit_file.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

namespace airlock::install::conda {
namespace {

const std::string sha(64, 'a');

TEST(ExplicitFile, ReadsLinesInOrder) {
    auto p = parse_explicit_file(
        "# conda environment of target `t`\n# platform: linux-64\n@EXPLICIT\n"
        "https://conda.anaconda.org/conda-forge/linux-64/python-3.12.7-hc5c86c4_0_cpython.conda#" +
        sha +
        "\n\nhttp://mirror/pytorch/noarch/pytorch-mutex-1.0-cuda.tar.bz2\n"
        "file:///srv/c/linux-64/x-1-0.tar.bz2#0123456789abcdef0123456789abcdef\r\n");
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].subdir, "linux-64");
    EXPECT_EQ(p[0].filename, "python-3.12.7-hc5c86c4_0_cpython.conda");
    EXPECT_EQ(p[0].channel, "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(p[0].sha256, sha);
    EXPECT_EQ(p[0].bundle_path(), "conda/linux-64/python-3.12.7-hc5c86c4_0_cpython.conda");
    EXPECT_EQ(p[1].url, "http://mirror/pytorch/noarch/pytorch-mutex-1.0-cuda.tar.bz2");
    EXPECT_EQ(p[1].sha256, "");
    EXPECT_EQ(p[2].md5, "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(p[2].channel, "file:///srv/c");
}

TEST(ExplicitFile, RefusesWhatCouldBecomeABadPath) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"https://h/c/linux-64/../x-1-0.conda", "conda subdir `..`"},
        {"https://h/c/../x-1-0.conda", "conda subdir"},
        {"https://h/c/linux-64/x-1-0.zip", "invalid conda package file name"},
        {"https://h/c/linux-64/x-1-0.conda#nothex", "neither a sha256 nor an md5"},
        {"https://user:pw@h/c/linux-64/x-1-0.conda", "user or password"},
        {"https://h/c/linux-64/x\x1b-1-0.conda", "control character"},
        {"x-1-0.conda", "not a URL"},
        {"https://x-1-0.conda", "no /<subdir>/<file name>"},
    };
    for (const auto& [line, why] : bad) {
        try {
            parse_explicit_file("@EXPLICIT\n" + line + "\n");
            ADD_FAILURE() << "accepted " << line;
        } catch (const Error& e) {
            std::string all;
            for (const auto& c : e.chain())
                all += c + "\n";
            EXPECT_NE(all.find(why), std::string::npos) << line << " -> " << all;
            EXPECT_NE(all.find("line 2"), std::string::npos) << all;
        }
    }
}

TEST(ExplicitFile, NeedsTheExplicitMarker) {
    EXPECT_THROW(parse_explicit_file("# nothing\n"), Error);
    EXPECT_THROW(parse_explicit_file("https://h/c/linux-64/x-1-0.conda\n@EXPLICIT\n"), Error);
    EXPECT_TRUE(parse_explicit_file("@EXPLICIT\n").empty());
}

}  // namespace
}  // namespace airlock::install::conda

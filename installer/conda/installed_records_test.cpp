#include "installer/conda/installed_records.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

namespace airlock::install::conda {
namespace {
namespace fs = std::filesystem;

struct Env {
    test_support::TempDir tmp{"airlock-installed-records-"};
    Env() { fs::create_directory(tmp.path() / "conda-meta"); }
    void record(const std::string& name, const std::string& text) {
        test_support::write_file(tmp.path() / "conda-meta" / name, text);
    }
    std::string error() {
        try {
            read_installed_records(tmp.path());
        } catch (const Error& e) {
            return e.render();
        }
        return "(no error)";
    }
};

TEST(InstalledRecords, ReadsNamesShaAndFiles) {
    Env env;
    env.record("tool-2.0-h0_0.json",
               R"({"name": "tool", "version": "2.0", "build": "h0_0", "sha256": "ab",
                   "channel": "https://c/conda-forge", "subdir": "linux-64",
                   "files": ["share/tool/a.txt", "bin/tool"]})");
    env.record("greet-1.0-pyh0_0.json", R"({"name": "greet", "version": "1.0", "build": "pyh0_0",
                   "noarch": "python", "files": []})");
    test_support::write_file(env.tmp.path() / "conda-meta" / "history", "==> x <==\n");
    auto r = read_installed_records(env.tmp.path());
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].stem(), "greet-1.0-pyh0_0");
    EXPECT_TRUE(r[0].noarch_python);
    EXPECT_EQ(r[1].sha256, "ab");
    EXPECT_EQ(r[1].files, (std::vector<std::string>{"share/tool/a.txt", "bin/tool"}));
    EXPECT_FALSE(r[1].noarch_python);
}

TEST(InstalledRecords, RefusesPathsOutsideThePrefix) {
    for (const char* bad : {"../etc/passwd", "/etc/passwd", "lib/../../x", "", "conda-meta/history",
                            "a//b", "bin/\x1b[31m"}) {
        Env env;
        env.record("x-1-0.json", std::string(R"({"name": "x", "version": "1", "build": "0", )") +
                                     R"("files": [")" + bad + R"("]})");
        EXPECT_NE(env.error().find("x-1-0.json"), std::string::npos) << bad;
    }
}

TEST(InstalledRecords, RefusesBadNamesAndRecords) {
    for (const auto& [file, text] : std::vector<std::pair<std::string, std::string>>{
             {"x-1-0.json", R"({"name": "..", "version": "1", "build": "0"})"},
             {"x-1-0.json", R"({"name": "a/b", "version": "1", "build": "0"})"},
             {"x-1-0.json", R"({"name": "y", "version": "1", "build": "0"})"},
             {"x-1-0.json", R"({"version": "1", "build": "0"})"},
             {"x-1-0.json", R"({"name": "x", "version": "1", "build": "0", "files": "a"})"},
             {"x-1-0.json", R"([1, 2])"},
             {"x-1-0.json", R"({"name": )"},
         }) {
        Env env;
        env.record(file, text);
        EXPECT_NE(env.error().find(file), std::string::npos) << text;
    }
}

}  // namespace
}  // namespace airlock::install::conda

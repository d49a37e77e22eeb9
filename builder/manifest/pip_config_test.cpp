#include "builder/manifest/pip_config.hpp"

#include "builder/manifest/settings_test_support.hpp"
#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

using namespace airlock;
using namespace airlock::manifest;
using namespace airlock::manifest::settings_testing;

TEST(PipConfigFile, SectionsNamesContinuationsAndComments) {
    auto values = parse_pip_config_file(
        "# comment\n"
        "[global]\n"
        "Index_URL = https://mirror/simple\n"
        "; another comment\n"
        "extra-index-url =\n"
        "    https://a/simple\n"
        "    https://b/simple\n"
        "default-timeout: 60\n"
        "[install]\n"
        "trusted-host = a b\n");
    EXPECT_EQ(values.at({"global", "index-url"}).text, "https://mirror/simple");
    EXPECT_EQ(values.at({"global", "index-url"}).line, 3u);
    EXPECT_EQ(values.at({"global", "extra-index-url"}).text,
              "\nhttps://a/simple\nhttps://b/simple");
    EXPECT_EQ(values.at({"global", "timeout"}).text, "60");
    EXPECT_EQ(values.at({"install", "trusted-host"}).text, "a b");
}

TEST(PipConfigFile, MalformedLinesAreErrors) {
    EXPECT_THROW(parse_pip_config_file("index-url = x\n"), Error);  // before any section
    EXPECT_THROW(parse_pip_config_file("[global]\njust words\n"), Error);
    EXPECT_THROW(parse_pip_config_file("[global\n"), Error);
}

TEST(PipConfigFiles, PipsOrderAndDevNull) {
    auto files = pip_config_files(env_of({{"HOME", "/home/u"}, {"VIRTUAL_ENV", "/venv"}}));
    std::vector<std::string> names;
    for (const auto& f : files)
        names.push_back(f.string());
    EXPECT_EQ(names, (std::vector<std::string>{"/etc/xdg/pip/pip.conf", "/etc/pip.conf",
                                               "/home/u/.pip/pip.conf",
                                               "/home/u/.config/pip/pip.conf", "/venv/pip.conf"}));
    auto xdg = pip_config_files(
        env_of({{"HOME", "/home/u"}, {"XDG_CONFIG_DIRS", "/a:/b"}, {"XDG_CONFIG_HOME", "/cfg"}}));
    EXPECT_EQ(xdg[0], "/a/pip/pip.conf");
    EXPECT_EQ(xdg[1], "/b/pip/pip.conf");
    EXPECT_EQ(xdg.back(), "/cfg/pip/pip.conf");
    EXPECT_TRUE(pip_config_files(env_of({{"PIP_CONFIG_FILE", "/dev/null"}})).empty());
}

TEST(PipConfig, FilesThenSectionsThenVariables) {
    test_support::TempDir temp("airlock-pip-config-precedence-");
    const auto& dir = temp.path();
    write(dir / "home/.config/pip/pip.conf",
          "[global]\nindex-url = https://user/simple\ntimeout = 10\n");
    write(dir / "env.conf", "[global]\nretries = 2\n[install]\ntimeout = 20\n");
    // An existing PIP_CONFIG_FILE turns the user files off (pip's rule).
    auto config = read_pip_config(env_of({{"HOME", (dir / "home").string()},
                                          {"XDG_CONFIG_DIRS", (dir / "none").string()},
                                          {"PIP_CONFIG_FILE", (dir / "env.conf").string()},
                                          {"PIP_RETRIES", "4"}}));
    EXPECT_EQ(config.get("index-url"), nullptr);
    ASSERT_NE(config.get("timeout"), nullptr);
    EXPECT_EQ(config.get("timeout")->text, "20");
    EXPECT_EQ(config.get("timeout")->origin, (dir / "env.conf").string() + ":4 [install]");
    EXPECT_EQ(config.get("retries")->text, "4");
    EXPECT_EQ(config.get("retries")->origin, "PIP_RETRIES");

    auto user =
        read_pip_config(env_of({{"HOME", (dir / "home").string()},
                                {"XDG_CONFIG_DIRS", (dir / "none").string()},
                                {"PIP_DEFAULT_TIMEOUT", "33"},
                                {"PIP_EXTRA_INDEX_URL", "https://x/simple https://y/simple"}}));
    EXPECT_EQ(user.get("index-url")->text, "https://user/simple");
    EXPECT_EQ(user.get("timeout")->text, "33");
    EXPECT_EQ(user.get("timeout")->origin, "PIP_DEFAULT_TIMEOUT");
    EXPECT_EQ(user.get("extra-index-url")->items,
              (std::vector<std::string>{"https://x/simple", "https://y/simple"}));
}

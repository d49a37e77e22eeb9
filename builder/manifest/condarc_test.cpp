#include "builder/manifest/condarc.hpp"

#include "builder/manifest/settings_test_support.hpp"
#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace airlock;
using namespace airlock::manifest;
using namespace airlock::manifest::settings_testing;

namespace {

const char* conda_manifest_head =
    "[bundle]\nname = \"b\"\nversion = \"1\"\n"
    "[[target]]\nname = \"l\"\npython = \"3.12\"\nplatform = \"manylinux_2_28_x86_64\"\n";

}  // namespace

TEST(Condarc, TheSettingsAirlockReadsWithTheirPlaces) {
    auto rc = parse_condarc(
        "channel_alias: https://mirror.example/conda/\n"
        "channels:\n"
        "  - conda-forge\n"
        "  - defaults\n"
        "custom_channels:\n"
        "  pytorch: https://tuna.example/anaconda/cloud\n"
        "default_channels: [https://tuna.example/anaconda/pkgs/main]\n"
        "auto_update_conda: false\n",
        "/home/u/.condarc");
    const auto& s = rc.settings;
    ASSERT_EQ(s.channels.size(), 2u);
    EXPECT_EQ(s.channels[0].text, "conda-forge");
    EXPECT_EQ(s.channels[0].where.line, 3u);
    EXPECT_EQ(s.channels[0].where.column, 5u);
    EXPECT_EQ(s.channel_alias->text, "https://mirror.example/conda/");
    EXPECT_EQ(s.custom_channels.at("pytorch").text, "https://tuna.example/anaconda/cloud");
    EXPECT_EQ(s.default_channels.at(0).text, "https://tuna.example/anaconda/pkgs/main");
}

TEST(Condarc, WrongShapesAndBadYamlPointAtTheLine) {
    try {
        parse_condarc("channels: conda-forge\n", "/x/.condarc");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/x/.condarc:1:11"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_condarc("channels: [a, b\n", "c"), Error);
    EXPECT_THROW(parse_condarc("custom_channels: [a]\n", "c"), Error);
    EXPECT_NO_THROW(parse_condarc("", "c"));
}

TEST(Condarc, SearchPathMergeAndVariables) {
    test_support::TempDir temp("airlock-condarc-test-");
    const auto& dir = temp.path();
    write(dir / "home/.condarc", "channels: [a, b]\nchannel_alias: https://one/\n");
    write(dir / "home/.conda/condarc.d/10.yml", "custom_channels: {x: https://x/}\n");
    write(dir / "extra.yml", "channels: [c, a]\nchannel_alias: https://two/\n");
    auto path = condarc_search_path(env_of({{"HOME", (dir / "home").string()}}));
    EXPECT_EQ(path.front(), "/etc/conda/.condarc");
    EXPECT_EQ(path.back(), dir / "home/.condarc");  // no CONDA_PREFIX, no CONDARC
    auto rc = read_condarc(
        env_of({{"HOME", (dir / "home").string()}, {"CONDARC", (dir / "extra.yml").string()}}));
    ASSERT_EQ(rc.files.size(), 3u);
    std::vector<std::string> channels;
    for (const auto& c : rc.settings.channels)
        channels.push_back(c.text);
    EXPECT_EQ(channels, (std::vector<std::string>{"c", "a", "b"}));  // later files first
    EXPECT_EQ(rc.settings.channel_alias->text, "https://two/");
    EXPECT_EQ(rc.settings.custom_channels.at("x").text, "https://x/");
    auto env = read_condarc(env_of({{"HOME", (dir / "home").string()},
                                    {"CONDA_CHANNELS", "p, q"},
                                    {"CONDA_CHANNEL_ALIAS", "https://three"}}));
    ASSERT_EQ(env.settings.channels.size(), 2u);
    EXPECT_EQ(env.settings.channels[1].text, "q");
    EXPECT_EQ(env.settings.channels[1].where.file, "CONDA_CHANNELS");
    EXPECT_EQ(env.settings.channel_alias->text, "https://three");
}

TEST(Condarc, ManifestFallsBackOnCondarcAndOverridesIt) {
    ManifestDefaults defaults;
    defaults.conda.channels = {{"pytorch", {"/rc", 2, 5}}, {"defaults", {"/rc", 3, 5}}};
    defaults.conda.channel_alias = SettingText{"https://alias.example/", {"/rc", 1, 16}};
    defaults.conda.custom_channels["pytorch"] = {"https://user:pw@tuna.example/cloud",
                                                 {"/rc", 5, 12}};
    defaults.conda.default_channels = {{"https://tuna.example/pkgs/main", {"/rc", 6, 5}},
                                       {"main-mirror", {"/rc", 7, 5}}};
    auto m = parse_manifest(std::string(conda_manifest_head) + "[conda]\nspecs = [\"numpy\"]\n",
                            "m.toml", process_env, Packages::required, defaults);
    ASSERT_EQ(m.conda->channels.size(), 3u);
    EXPECT_EQ(m.conda->channels[0].url, "https://tuna.example/cloud/pytorch");
    EXPECT_EQ(m.conda->channels[0].where.file, "/rc");
    EXPECT_EQ(m.conda->channels[1].url, "https://tuna.example/pkgs/main");
    EXPECT_EQ(m.conda->channels[2].url, "https://alias.example/main-mirror");
    EXPECT_EQ(m.conda->channel_alias_origin, "/rc:1:16");
    ASSERT_EQ(m.conda->credentials.size(), 1u);  // split off the custom channel's URL
    EXPECT_EQ(m.conda->credentials[0].credentials.user, "user");

    auto own = parse_manifest(std::string(conda_manifest_head) +
                                  "[conda]\nchannels = [\"conda-forge\", \"defaults\"]\n"
                                  "channel_alias = \"https://mine.example\"\nspecs = [\"numpy\"]\n",
                              "m.toml", process_env, Packages::required, defaults);
    ASSERT_EQ(own.conda->channels.size(), 3u);
    EXPECT_EQ(own.conda->channels[0].url, "https://mine.example/conda-forge");
    EXPECT_EQ(own.conda->channels[0].where.file, "m.toml");
    EXPECT_TRUE(own.conda->channel_alias_origin.empty());

    // Without .condarc, `defaults` is conda's own default_channels.
    auto plain = parse_manifest(std::string(conda_manifest_head) +
                                    "[conda]\nchannels = [\"defaults\"]\nspecs = [\"numpy\"]\n",
                                "m.toml");
    ASSERT_EQ(plain.conda->channels.size(), 2u);
    EXPECT_EQ(plain.conda->channels[0].url, "https://repo.anaconda.com/pkgs/main");

    defaults.conda.channels = {{"bad channel", {"/rc", 9, 3}}};
    try {
        parse_manifest(std::string(conda_manifest_head) + "[conda]\nspecs = [\"numpy\"]\n",
                       "m.toml", process_env, Packages::required, defaults);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/rc:9:3"), std::string::npos) << e.what();
    }
}

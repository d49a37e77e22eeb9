// Bundle format 2: targets' ecosystems, conda subdir and specs, files' md5; format 1 still read.
#include "core/bundle/bundle_manifest.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

namespace airlock::bundle {
namespace {

const std::string head =
    "[bundle]\nname = \"x\"\nversion = \"1\"\nsequence = 1\ncreated = \"c\"\nsigned = true\n";

std::string message(const std::string& text) {
    try {
        BundleManifest::parse(text, "m.toml");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

std::string target(const std::string& extra) {
    return "format = 2\n" + head +
           "[[target]]\nname = \"t\"\npython = \"3.12\"\nplatform = \"linux_x86_64\"\n" + extra;
}

TEST(BundleManifestFormat2, RoundTripsCondaTargetsAndFiles) {
    BundleManifest m;
    m.name = "lab";
    m.version = "1";
    m.sequence = 1;
    m.created = "c";
    BundleTarget linux{"linux", "3.12", "manylinux_2_28_x86_64", "12.4", "==3.12.*", {}, {}, {}};
    linux.ecosystems = {Ecosystem::pip, Ecosystem::conda, Ecosystem::pip};
    linux.conda_subdir = "linux-64";
    linux.conda_specs = {"pytorch=2.3", "numpy >=1.26,<2"};
    BundleTarget win{"win", "3.12", "win_amd64", std::nullopt, "", {Ecosystem::pip}, {}, {}};
    m.targets = {linux, win};
    BundleFile conda_file{"conda/linux-64/_libgcc_mutex-0.1-main.tar.bz2",
                          3,
                          std::string(64, 'a'),
                          {"https://c/x"},
                          {"linux"},
                          "_libgcc_mutex",
                          "0.1",
                          std::string(32, 'B')};
    m.files = {conda_file};
    std::string text = m.to_toml();
    EXPECT_NE(text.find("format = 2\n"), std::string::npos);
    EXPECT_NE(text.find("ecosystems = [\"conda\", \"pip\"]\nconda_subdir = \"linux-64\"\n"
                        "conda_specs = [\"pytorch=2.3\", \"numpy >=1.26,<2\"]\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("name = \"win\"\npython = \"3.12\"\nplatform = \"win_amd64\"\n"
                        "ecosystems = [\"pip\"]\n\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("md5 = \"" + std::string(32, 'B') + "\"\n"), std::string::npos);
    auto back = BundleManifest::parse(text, "m.toml");
    EXPECT_EQ(back.format, 2);
    ASSERT_EQ(back.targets.size(), 2u);
    EXPECT_EQ(back.targets[0].ecosystems,
              (std::vector<Ecosystem>{Ecosystem::conda, Ecosystem::pip}));
    EXPECT_TRUE(back.targets[0].carries(Ecosystem::conda));
    EXPECT_FALSE(back.targets[1].carries(Ecosystem::conda));
    EXPECT_EQ(*back.targets[0].conda_subdir, "linux-64");
    ASSERT_EQ(back.targets[0].conda_specs.size(), 2u);
    EXPECT_EQ(back.targets[0].conda_specs[1], "numpy >=1.26,<2");
    EXPECT_EQ(back.files[0].md5, std::string(32, 'b'));
    EXPECT_EQ(back.files[0].package, "_libgcc_mutex");
    EXPECT_EQ(back.to_toml(), BundleManifest::parse(back.to_toml(), "m").to_toml());
}

TEST(BundleManifestFormat2, ReadsFormat1AsPipOnly) {
    auto m = BundleManifest::parse("format = 1\n" + head +
                                       "[[target]]\nname = \"t\"\npython = \"3.12\"\n"
                                       "platform = \"linux_x86_64\"\n",
                                   "m.toml");
    EXPECT_EQ(m.format, 1);
    EXPECT_EQ(m.targets[0].ecosystems, std::vector<Ecosystem>{Ecosystem::pip});
    EXPECT_FALSE(m.targets[0].conda_subdir);
    // Written again, it is format 2.
    EXPECT_TRUE(m.to_toml().find("format = 2\n") != std::string::npos);
    EXPECT_NE(message("format = 0\n" + head)
                  .find("bundle format 0 is not supported (this "
                        "airlock reads formats 1 to 2)"),
              std::string::npos);
}

TEST(BundleManifestFormat2, RefusesBadCondaFields) {
    EXPECT_EQ(message(target("")),
              "m.toml:8:1: [[target]] #1: missing `ecosystems` (format 2 lists them for every "
              "target)");
    EXPECT_EQ(message(target("ecosystems = [\"npm\"]\n")),
              "m.toml:12:14: [[target]] #1: unknown ecosystem `npm` (known: `conda`, `pip`)");
    EXPECT_EQ(message(target("ecosystems = [\"pip\", \"pip\"]\n")),
              "m.toml:12:14: [[target]] #1: ecosystem `pip` is listed twice");
    EXPECT_EQ(message(target("ecosystems = [\"conda\"]\n")),
              "m.toml:8:1: [[target]] #1: a target carrying conda needs `conda_subdir`");
    EXPECT_EQ(message(target("ecosystems = [\"pip\"]\nconda_subdir = \"linux-64\"\n")),
              "m.toml:13:16: [[target]] #1: `conda_subdir` is set but `ecosystems` has no "
              "`conda`");
    EXPECT_EQ(message(target("ecosystems = [\"conda\"]\nconda_subdir = \"../x\"\n")),
              "m.toml:13:16: [[target]] #1: conda subdir `../x` is not allowed: use 1-64 "
              "letters, digits, `-` and `_`, starting with a letter (`linux-64`)");
    EXPECT_NE(message(target("ecosystems = [\"conda\"]\nconda_subdir = \"linux-64\"\n"
                             "conda_specs = [\"a\\u001b[2J\"]\n"))
                  .find("conda spec `a\\x1b[2J` is not allowed"),
              std::string::npos);
    EXPECT_EQ(message(target("ecosystems = [\"pip\"]\nconda_specs = [\"x\"]\n")),
              "m.toml:13:15: [[target]] #1: `conda_specs` is set but `ecosystems` has no "
              "`conda`");
    const std::string file =
        "[[file]]\npath = \"conda/linux-64/x-1-0.conda\"\nsize = 1\nsha256 = \"" +
        std::string(64, 'a') + "\"\n";
    EXPECT_EQ(message("format = 2\n" + head + file + "md5 = \"xyz\"\n"),
              "m.toml:12:7: [[file]] #1: md5 must be 32 hex digits");
    EXPECT_EQ(
        message("format = 2\n" + head + "[[file]]\npath = \"wheels/x.whl\"\nsize = 1\nsha256 = \"" +
                std::string(64, 'a') + "\"\npackage = \"_x\"\n"),
        "m.toml:12:11: [[file]] #1: package `_x` is not a PEP 508 project name");
    EXPECT_EQ(message("format = 2\n" + head + file + "package = \"_x\"\n"), "no error");
}

TEST(CheckedText, CondaSubdirsAndNames) {
    auto refused = [](auto make) {
        try {
            make();
        } catch (const Error&) {
            return true;
        }
        return false;
    };
    for (std::string good : {"linux-64", "win-64", "noarch", "osx-arm64", "emscripten-wasm32"})
        EXPECT_FALSE(refused([&] { (void)CondaSubdir{good}; })) << good;
    for (std::string bad : {"", "-x", "64", "linux/64", "..", "a b", "x\x1b"})
        EXPECT_TRUE(refused([&] { (void)CondaSubdir{bad}; })) << bad;
    for (std::string good : {"_libgcc_mutex", "_openmp_mutex", "python_abi", "x_"})
        EXPECT_FALSE(refused([&] { (void)PackageName{good}; })) << good;
    for (std::string bad : {".x", "-x", "x-", "_/x", "_ x"})
        EXPECT_TRUE(refused([&] { (void)PackageName{bad}; })) << bad;
}

}  // namespace
}  // namespace airlock::bundle

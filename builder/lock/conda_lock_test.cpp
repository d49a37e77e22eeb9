#include "builder/lock/conda_lock.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

namespace airlock::lock {
namespace {

CondaLockedPackage package(std::string name, std::vector<std::string> depends) {
    CondaLockedPackage p;
    p.name = name;
    p.version = "1.0";
    p.build = "h0_1";
    p.build_number = 1;
    p.channel = "conda-forge";
    p.subdir = "linux-64";
    p.file = name + "-1.0-h0_1.conda";
    p.url = "https://conda.anaconda.org/conda-forge/linux-64/" + p.file;
    p.size = 42;
    p.sha256 = std::string(64, name[0] == 'a' ? 'a' : 'b');
    p.md5 = std::string(32, 'c');
    p.depends = std::move(depends);
    return p;
}

CondaLock sample() {
    CondaLock lock;
    lock.subdir = "linux-64";
    lock.virtual_packages = {"__cuda=12.4=0", "__glibc=2.28=0"};
    lock.channels = {{"conda-forge", "https://conda.anaconda.org/conda-forge"}};
    lock.packages = {package("app", {"base >=1", "python_abi 3.12.* *_cp312"}),
                     package("base", {})};
    lock.packages[0].constrains = {"__cuda >=12"};
    lock.packages[1].noarch = "generic";
    return lock;
}

TEST(CondaLock, ExplicitListsDependenciesFirst) {
    EXPECT_EQ(format_conda_explicit("t", sample()),
              "# conda environment of target `t`, written by airlock-build\n"
              "# install on a connected machine: conda create --name ENV --file conda.t.txt\n"
              "# platform: linux-64\n"
              "@EXPLICIT\n"
              "https://conda.anaconda.org/conda-forge/linux-64/base-1.0-h0_1.conda#" +
                  std::string(64, 'b') +
                  "\n"
                  "https://conda.anaconda.org/conda-forge/linux-64/app-1.0-h0_1.conda#" +
                  std::string(64, 'a') + "\n");
}

TEST(CondaLock, RoundTrips) {
    auto text = format_conda_lock("t", sample());
    auto back = parse_conda_lock(text, "conda.t.lock.toml");
    EXPECT_EQ(back.subdir, "linux-64");
    EXPECT_EQ(back.virtual_packages, sample().virtual_packages);
    EXPECT_EQ(back.channels, sample().channels);
    ASSERT_EQ(back.packages.size(), 2u);
    EXPECT_EQ(back.packages[0].depends, sample().packages[0].depends);
    EXPECT_EQ(back.packages[0].constrains, sample().packages[0].constrains);
    EXPECT_EQ(back.packages[1].noarch, "generic");
    EXPECT_EQ(format_conda_lock("t", back), text);
}

TEST(CondaLock, ErrorsPointAtTheKey) {
    try {
        parse_conda_lock("lock-version = \"1\"\nsubdir = 3\n", "x.toml");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.toml:2:10: `subdir` must be a string"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace airlock::lock

#include "builder/lock/pylock.hpp"

#include "builder/lock/requirements_txt.hpp"
#include "core/base/error.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace airlock::lock {
namespace {

TargetLock sample() {
    TargetLock lock;
    lock.target = "linux-py312";
    lock.requires_python = "==3.12.*";
    lock.environments = {"sys_platform == \"linux\" and python_version == \"3.12\""};
    LockedPackage torch{"torch", "2.5.1+cu124", "http://127.0.0.1:1/cu124", "pytorch-cu124", {}};
    torch.wheels.push_back(LockedFile{"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl",
                                      "http://127.0.0.1:1/cu124/torch-2.5.1%2Bcu124-cp312-cp312-"
                                      "linux_x86_64.whl",
                                      {"http://127.0.0.2:1/cu124/torch.whl"},
                                      1234,
                                      std::string(64, 'a')});
    LockedPackage filelock{"filelock", "3.16.1", "http://127.0.0.1:1/simple", "pypi", {}};
    filelock.wheels.push_back(LockedFile{"filelock-3.16.1-py3-none-any.whl",
                                         "http://127.0.0.1:1/simple/filelock/filelock-3.16.1-py3-"
                                         "none-any.whl",
                                         {},
                                         std::nullopt,
                                         std::string(64, 'b')});
    lock.packages = {torch, filelock};  // unsorted on purpose
    return lock;
}

TEST(Pylock, WritesPep751InAFixedOrder) {
    std::string text = format_pylock(sample());
    EXPECT_EQ(
        text,
        "lock-version = \"1.0\"\n"
        "environments = ['sys_platform == \"linux\" and python_version == \"3.12\"']\n"
        "requires-python = \"==3.12.*\"\n"
        "created-by = \"airlock\"\n"
        "\n[[packages]]\n"
        "name = \"filelock\"\n"
        "version = \"3.16.1\"\n"
        "index = \"http://127.0.0.1:1/simple\"\n"
        "\n[[packages.wheels]]\n"
        "name = \"filelock-3.16.1-py3-none-any.whl\"\n"
        "url = \"http://127.0.0.1:1/simple/filelock/filelock-3.16.1-py3-none-any.whl\"\n"
        "hashes = { sha256 = \"" +
            std::string(64, 'b') +
            "\" }\n"
            "\n[packages.tool.airlock]\n"
            "index-name = \"pypi\"\n"
            "\n[[packages]]\n"
            "name = \"torch\"\n"
            "version = \"2.5.1+cu124\"\n"
            "index = \"http://127.0.0.1:1/cu124\"\n"
            "\n[[packages.wheels]]\n"
            "name = \"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl\"\n"
            "url = \"http://127.0.0.1:1/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl\"\n"
            "size = 1234\n"
            "hashes = { sha256 = \"" +
            std::string(64, 'a') +
            "\" }\n"
            "\n[packages.tool.airlock]\n"
            "index-name = \"pytorch-cu124\"\n"
            "mirrors = { \"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl\" = "
            "[\"http://127.0.0.2:1/cu124/torch.whl\"] }\n");
}

TEST(Pylock, RoundTrips) {
    TargetLock original = sample();
    TargetLock back =
        parse_pylock(format_pylock(original), "pylock.linux-py312.toml", "linux-py312");
    EXPECT_EQ(format_pylock(back), format_pylock(original));
    ASSERT_EQ(back.packages.size(), 2u);
    EXPECT_EQ(back.packages[1].wheels[0].mirrors.size(), 1u);
    EXPECT_EQ(back.packages[1].index_name, "pytorch-cu124");
    EXPECT_EQ(back.packages[1].wheels[0].size, 1234u);
    EXPECT_FALSE(back.packages[0].wheels[0].size.has_value());
}

TEST(Pylock, RecordsItsInputsAsAToolTable) {
    TargetLock original = sample();
    original.inputs = {{"python", "sha256:" + std::string(64, '1')},
                       {"indexes", "sha256:" + std::string(64, '2')}};
    auto text = format_pylock(original);
    EXPECT_NE(text.find("\n[tool.airlock]\n"), std::string::npos) << text;
    EXPECT_NE(text.find("inputs = { indexes = \"sha256:" + std::string(64, '2') +
                        "\", python = \"sha256:" + std::string(64, '1') + "\" }\n"),
              std::string::npos)
        << text;
    auto back = parse_pylock(text, "pylock.linux-py312.toml", "linux-py312");
    EXPECT_EQ(back.inputs, original.inputs);
    EXPECT_TRUE(parse_pylock(format_pylock(sample()), "p", "t").inputs.empty());
}

TEST(Pylock, WritesAtomicallyAndReadsTheTargetFromTheName) {
    test_support::TempDir temp("airlock-pylock-test-");
    const auto& dir = temp.path();
    auto path = write_pylock(dir, sample());
    EXPECT_EQ(path.filename(), "pylock.linux-py312.toml");
    auto back = read_pylock(path);
    EXPECT_EQ(back.target, "linux-py312");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(Pylock, ErrorsPointAtTheFileAndSayWhat) {
    try {
        parse_pylock("lock-version = \"1.0\"\n[[packages]]\nname = \"x\"\nversion = \"1\"\n",
                     "pylock.t.toml", "t");
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("pylock.t.toml:2"), std::string::npos) << m;
        EXPECT_NE(m.find("wheels only"), std::string::npos) << m;
    }
    try {
        parse_pylock("lock-version = \"2.0\"\n", "p.toml", "t");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not supported"), std::string::npos);
    }
    try {
        parse_pylock("lock-version = \n", "p.toml", "t");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("p.toml:1:"), std::string::npos) << e.what();
    }
}

TEST(RequirementsTxt, PinsEveryPackageWithItsHash) {
    EXPECT_EQ(format_requirements(sample()),
              "# Locked by airlock for target `linux-py312` (Python ==3.12.*). Generated: do not "
              "edit.\n"
              "# pip install --no-index --require-hashes --find-links WHEELS -r "
              "requirements.linux-py312.txt\n"
              "filelock==3.16.1 \\\n    --hash=sha256:" +
                  std::string(64, 'b') +
                  "\n"
                  "torch==2.5.1+cu124 \\\n    --hash=sha256:" +
                  std::string(64, 'a') + "\n");
}

}  // namespace
}  // namespace airlock::lock

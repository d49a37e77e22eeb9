#include "core/target/target.hpp"

#include "core/base/error.hpp"
#include "core/wheel/filename.hpp"
#include "tests/support/cpp/source_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

using airlock::tags::Tag;
using airlock::target::Libc;
using airlock::target::Os;
using airlock::target::Target;

namespace {

std::vector<std::string> strings(const std::vector<Tag>& tags) {
    std::vector<std::string> out;
    for (const auto& t : tags)
        out.push_back(t.to_string());
    return out;
}

/// testdata/<python>-<platform>.txt, written by testdata/generate_supported_tags.py from
/// packaging's own `cpython_tags` + `compatible_tags`.
std::vector<std::string> reference(const std::string& python, const std::string& platform) {
    std::ifstream in(airlock::test_support::source_dir().string() + "/core/target/testdata/" +
                     python + "-" + platform + ".txt");
    EXPECT_TRUE(in.good()) << python << "-" << platform;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::size_t position(const std::vector<std::string>& list, const std::string& tag) {
    auto it = std::find(list.begin(), list.end(), tag);
    EXPECT_NE(it, list.end()) << tag;
    return static_cast<std::size_t>(it - list.begin());
}

}  // namespace

// The whole ordered list equals what packaging.tags produces on such a machine.
TEST(SupportedTags, EqualPackagingReferenceLists) {
    const std::pair<const char*, const char*> targets[] = {
        {"3.12", "manylinux_2_28_x86_64"},
        {"3.11", "manylinux_2_28_x86_64"},
        {"3.12", "manylinux2014_aarch64"},
        {"3.13", "manylinux_2_34_aarch64"},
        {"3.7", "manylinux2014_x86_64"},
        {"3.12", "musllinux_1_2_x86_64"},
        {"3.12", "linux_x86_64"},
        {"3.12", "win_amd64"},
        {"3.10", "win32"},
        {"3.12", "win_arm64"},
        {"3.12", "macosx_11_0_arm64"},
        {"3.12", "macosx_14_0_x86_64"},
        {"3.9", "macosx_10_15_x86_64"},
    };
    for (auto [python, platform] : targets) {
        auto t = Target::make("t", python, platform);
        EXPECT_EQ(strings(t.supported_tags()), reference(python, platform))
            << python << " " << platform;
    }
}

TEST(SupportedTags, Cp312Manylinux228X86_64Shape) {
    auto tags = strings(Target::make("t", "3.12", "manylinux_2_28_x86_64").supported_tags());
    // The platform expansion, in order, for the first (cp312-cp312) block.
    std::vector<std::string> platforms;
    for (int minor = 28; minor >= 5; --minor) {
        platforms.push_back("manylinux_2_" + std::to_string(minor) + "_x86_64");
        if (minor == 17)
            platforms.push_back("manylinux2014_x86_64");
        if (minor == 12)
            platforms.push_back("manylinux2010_x86_64");
        if (minor == 5)
            platforms.push_back("manylinux1_x86_64");
    }
    platforms.push_back("linux_x86_64");
    ASSERT_EQ(platforms.size(), 28u);
    for (std::size_t i = 0; i < platforms.size(); ++i) {
        EXPECT_EQ(tags[i], "cp312-cp312-" + platforms[i]);
    }
    const std::pair<std::size_t, const char*> table[] = {
        {0, "cp312-cp312-manylinux_2_28_x86_64"},
        {27, "cp312-cp312-linux_x86_64"},
        {28, "cp312-abi3-manylinux_2_28_x86_64"},
        {56, "cp312-none-manylinux_2_28_x86_64"},
        {84, "cp311-abi3-manylinux_2_28_x86_64"},
        {84 + 28 * 9, "cp32-abi3-manylinux_2_28_x86_64"},
        {84 + 28 * 10, "py312-none-manylinux_2_28_x86_64"},
        {84 + 28 * 11, "py3-none-manylinux_2_28_x86_64"},
        {84 + 28 * 12, "py311-none-manylinux_2_28_x86_64"},
        {84 + 28 * 24 - 1, "py30-none-linux_x86_64"},
        {84 + 28 * 24, "cp312-none-any"},
        {84 + 28 * 24 + 1, "py312-none-any"},
        {84 + 28 * 24 + 2, "py3-none-any"},
        {84 + 28 * 24 + 3, "py311-none-any"},
    };
    for (auto [index, tag] : table)
        EXPECT_EQ(tags.at(index), tag) << index;
    EXPECT_EQ(tags.back(), "py30-none-any");
    EXPECT_EQ(tags.size(), 84u + 28 * 24 + 15);
}

TEST(SupportedTags, FirstAndLastPerTarget) {
    struct Row {
        const char* python;
        const char* platform;
        std::vector<std::string> first;
        const char* last;
    };
    const Row rows[] = {
        {"3.11",
         "manylinux_2_28_x86_64",
         {"cp311-cp311-manylinux_2_28_x86_64", "cp311-cp311-manylinux_2_27_x86_64"},
         "py30-none-any"},
        {"3.12",
         "win_amd64",
         {"cp312-cp312-win_amd64", "cp312-abi3-win_amd64", "cp312-none-win_amd64",
          "cp311-abi3-win_amd64"},
         "py30-none-any"},
        {"3.12",
         "macosx_11_0_arm64",
         {"cp312-cp312-macosx_11_0_arm64", "cp312-cp312-macosx_11_0_universal2",
          "cp312-cp312-macosx_10_16_universal2", "cp312-cp312-macosx_10_15_universal2"},
         "py30-none-any"},
        {"3.12",
         "musllinux_1_2_x86_64",
         {"cp312-cp312-musllinux_1_2_x86_64", "cp312-cp312-musllinux_1_1_x86_64",
          "cp312-cp312-musllinux_1_0_x86_64", "cp312-cp312-linux_x86_64",
          "cp312-abi3-musllinux_1_2_x86_64"},
         "py30-none-any"},
        {"3.7",
         "manylinux2014_x86_64",
         {"cp37-cp37m-manylinux_2_17_x86_64", "cp37-cp37m-manylinux2014_x86_64"},
         "py30-none-any"},
    };
    for (const auto& row : rows) {
        auto tags = strings(Target::make("t", row.python, row.platform).supported_tags());
        ASSERT_GE(tags.size(), row.first.size());
        EXPECT_EQ(std::vector<std::string>(tags.begin(), tags.begin() + row.first.size()),
                  row.first)
            << row.platform;
        EXPECT_EQ(tags.back(), row.last) << row.platform;
    }
    // Windows accepts no other platform than its own.
    auto windows = Target::make("t", "3.12", "win_amd64");
    for (const auto& tag : windows.supported_tags()) {
        EXPECT_TRUE(tag.platform == "win_amd64" || tag.platform == "any") << tag;
    }
}

TEST(SupportedTags, RankOrdersAndRejects) {
    auto target = Target::make("t", "3.12", "manylinux_2_28_x86_64", "cp", "12.4");
    auto tags = strings(target.supported_tags());
    auto rank = [&](const char* filename) {
        return target.rank(airlock::wheel::WheelFilename::parse(filename).tags);
    };
    struct Row {
        const char* filename;
        std::optional<std::string> best;  // the tag that gives the rank, nullopt = incompatible
    };
    const Row rows[] = {
        {"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl", "cp312-cp312-linux_x86_64"},
        {"numpy-2.1.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
         "cp312-cp312-manylinux_2_17_x86_64"},
        {"six-1.16.0-py2.py3-none-any.whl", "py3-none-any"},
        {"cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl",
         "cp39-abi3-manylinux_2_28_x86_64"},
        {"x-1-cp312-cp312-manylinux_2_31_x86_64.whl", std::nullopt},  // needs a newer glibc
        {"x-1-cp313-cp313-manylinux_2_17_x86_64.whl", std::nullopt},
        {"x-1-cp312-cp312-win_amd64.whl", std::nullopt},
        {"x-1-cp312-cp312-musllinux_1_1_x86_64.whl", std::nullopt},
        {"x-1-cp312-cp312-manylinux_2_17_aarch64.whl", std::nullopt},
        {"x-1-py2-none-any.whl", std::nullopt},
    };
    for (const auto& row : rows) {
        auto r = rank(row.filename);
        if (!row.best) {
            EXPECT_FALSE(r.has_value()) << row.filename;
            continue;
        }
        ASSERT_TRUE(r.has_value()) << row.filename;
        EXPECT_EQ(*r, position(tags, *row.best)) << row.filename;
    }
    // Better tags rank lower: a cp312 manylinux wheel beats the plain linux one and abi3.
    EXPECT_LT(*rank("a-1-cp312-cp312-manylinux_2_28_x86_64.whl"),
              *rank("a-1-cp312-cp312-linux_x86_64.whl"));
    EXPECT_LT(*rank("a-1-cp312-cp312-linux_x86_64.whl"),
              *rank("a-1-cp312-abi3-manylinux_2_28_x86_64.whl"));
    EXPECT_LT(*rank("a-1-cp39-abi3-manylinux_2_17_x86_64.whl"), *rank("a-1-py3-none-any.whl"));
    EXPECT_FALSE(target.rank({}).has_value());
}

TEST(Target, EnvironmentPerPlatformFamily) {
    struct Row {
        const char* platform;
        const char* sys_platform;
        const char* platform_system;
        const char* os_name;
        const char* platform_machine;
    };
    const Row rows[] = {
        {"manylinux_2_28_x86_64", "linux", "Linux", "posix", "x86_64"},
        {"manylinux2014_aarch64", "linux", "Linux", "posix", "aarch64"},
        {"musllinux_1_2_x86_64", "linux", "Linux", "posix", "x86_64"},
        {"linux_x86_64", "linux", "Linux", "posix", "x86_64"},
        {"manylinux_2_17_ppc64le", "linux", "Linux", "posix", "ppc64le"},
        {"win_amd64", "win32", "Windows", "nt", "AMD64"},
        {"win32", "win32", "Windows", "nt", "x86"},
        {"win_arm64", "win32", "Windows", "nt", "ARM64"},
        {"macosx_11_0_arm64", "darwin", "Darwin", "posix", "arm64"},
        {"macosx_10_9_x86_64", "darwin", "Darwin", "posix", "x86_64"},
    };
    for (const auto& row : rows) {
        auto env = Target::make("t", "3.12", row.platform).environment();
        EXPECT_EQ(env.sys_platform, row.sys_platform) << row.platform;
        EXPECT_EQ(env.platform_system, row.platform_system) << row.platform;
        EXPECT_EQ(env.os_name, row.os_name) << row.platform;
        EXPECT_EQ(env.platform_machine, row.platform_machine) << row.platform;
        EXPECT_EQ(env.python_version, "3.12");
        EXPECT_EQ(env.python_full_version, "3.12.0");
        EXPECT_EQ(env.implementation_version, "3.12.0");
        EXPECT_EQ(env.implementation_name, "cpython");
        EXPECT_EQ(env.platform_python_implementation, "CPython");
        EXPECT_EQ(env.platform_release, "");
        EXPECT_EQ(env.platform_version, "");
        EXPECT_EQ(env.get("sys.platform"), row.sys_platform);
    }
}

TEST(Target, PatchVersion) {
    // Markers and Requires-Python see the patch release; tags use the minor version.
    const struct {
        const char* python;
        const char* minor;
        const char* full;
    } rows[] = {
        {"3.9", "3.9", "3.9.0"},        {"3.9.0", "3.9", "3.9.0"},    {"3.12.4", "3.12", "3.12.4"},
        {"3.13.10", "3.13", "3.13.10"}, {"3.10.0", "3.10", "3.10.0"},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.python);
        auto t = Target::make("t", row.python, "manylinux_2_28_x86_64");
        EXPECT_EQ(t.python, row.python);
        EXPECT_EQ(t.python_minor(), row.minor);
        EXPECT_EQ(t.python_full_version(), row.full);
        auto env = t.environment();
        EXPECT_EQ(env.python_version, row.minor);
        EXPECT_EQ(env.python_full_version, row.full);
        EXPECT_EQ(env.implementation_version, row.full);
        auto same_minor = Target::make("t", row.minor, "manylinux_2_28_x86_64");
        EXPECT_EQ(t.supported_tags(), same_minor.supported_tags());
    }
}

TEST(Target, Accessors) {
    struct Row {
        const char* platform;
        Os os;
        Libc libc;
        const char* arch;
        std::optional<std::pair<int, int>> glibc, musl, macos;
    };
    const Row rows[] = {
        {"manylinux_2_28_x86_64", Os::linux, Libc::glibc, "x86_64", {{2, 28}}, {}, {}},
        {"manylinux2014_x86_64", Os::linux, Libc::glibc, "x86_64", {{2, 17}}, {}, {}},
        {"manylinux2010_i686", Os::linux, Libc::glibc, "i686", {{2, 12}}, {}, {}},
        {"manylinux1_x86_64", Os::linux, Libc::glibc, "x86_64", {{2, 5}}, {}, {}},
        {"musllinux_1_2_aarch64", Os::linux, Libc::musl, "aarch64", {}, {{1, 2}}, {}},
        {"linux_x86_64", Os::linux, Libc::unknown, "x86_64", {}, {}, {}},
        {"win_amd64", Os::windows, Libc::none, "AMD64", {}, {}, {}},
        {"macosx_14_0_arm64", Os::macos, Libc::none, "arm64", {}, {}, {{14, 0}}},
    };
    for (const auto& row : rows) {
        auto t = Target::make("t", "3.12", row.platform);
        EXPECT_EQ(t.os(), row.os) << row.platform;
        EXPECT_EQ(t.libc(), row.libc) << row.platform;
        EXPECT_EQ(t.arch(), row.arch) << row.platform;
        EXPECT_EQ(t.glibc(), row.glibc) << row.platform;
        EXPECT_EQ(t.musl(), row.musl) << row.platform;
        EXPECT_EQ(t.macos_version(), row.macos) << row.platform;
    }
}

TEST(Target, CudaLocalLabel) {
    EXPECT_EQ(Target::make("t", "3.12", "linux_x86_64", "cp", "12.4").cuda_local_label(), "cu124");
    EXPECT_EQ(Target::make("t", "3.12", "win_amd64", "cp", "11.8").cuda_local_label(), "cu118");
    EXPECT_EQ(Target::make("t", "3.12", "linux_x86_64").cuda_local_label(), std::nullopt);
}

TEST(Target, InvalidValuesGiveActionableErrors) {
    struct Row {
        const char* name;
        const char* python;
        const char* platform;
        const char* implementation;
        std::optional<std::string> cuda;
        const char* message;
    };
    const Row rows[] = {
        {"t",
         "3.12.01",
         "win_amd64",
         "cp",
         {},
         "invalid python version `3.12.01`: expected `3.N` or `3.N.P`"},
        {"t",
         "3.12.1.2",
         "win_amd64",
         "cp",
         {},
         "invalid python version `3.12.1.2`: expected `3.N` or `3.N.P`"},
        {"t",
         "3.12.",
         "win_amd64",
         "cp",
         {},
         "invalid python version `3.12.`: expected `3.N` or `3.N.P`"},
        {"t",
         "312",
         "win_amd64",
         "cp",
         {},
         "invalid python version `312`: expected `3.N` or `3.N.P`"},
        {"t",
         "2.7",
         "win_amd64",
         "cp",
         {},
         "invalid python version `2.7`: expected `3.N` or `3.N.P`"},
        {"t",
         "3.012",
         "win_amd64",
         "cp",
         {},
         "invalid python version `3.012`: expected `3.N` or `3.N.P`"},
        {"t",
         "3.12",
         "win_amd64",
         "pp",
         {},
         "unsupported implementation `pp`: only CPython (`cp`) targets are supported"},
        {"t", "3.12", "win_amd64", "cp", "12", "invalid cuda version `12`: expected `N.M`"},
        {"t", "3.12", "macosx_11_0_arm64", "cp", "12.4",
         "the macOS platform `macosx_11_0_arm64` cannot have cuda `12.4`: CUDA does not run on "
         "macOS"},
        {"bad/name",
         "3.12",
         "win_amd64",
         "cp",
         {},
         "invalid target name `bad/name`: use letters, digits, `.`, `_` and `-` (it becomes part "
         "of file names such as pylock.<target>.toml)"},
        {"t", "3.12", "windows", "cp", {}, "unknown platform tag `windows`"},
        {"t",
         "3.12",
         "manylinux-2.28-x86_64",
         "cp",
         {},
         "unknown platform tag `manylinux-2.28-x86_64`: platform tags separate their parts with "
         "`_`, not `-`, `.` or spaces"},
        {"t",
         "3.12",
         "WIN_AMD64",
         "cp",
         {},
         "unknown platform tag `WIN_AMD64`: platform tags are lower-case"},
        {"t",
         "3.12",
         "manylinux_2_28_amd64",
         "cp",
         {},
         "unknown platform tag `manylinux_2_28_amd64`: the architecture `amd64` is not one of "
         "x86_64, i686, aarch64, armv7l, ppc64le, ppc64, s390x, riscv64"},
        {"t",
         "3.12",
         "manylinux1_aarch64",
         "cp",
         {},
         "unknown platform tag `manylinux1_aarch64`: the architecture `aarch64` is not one of "
         "x86_64, i686"},
        {"t",
         "3.12",
         "manylinux_2_12_aarch64",
         "cp",
         {},
         "unknown platform tag `manylinux_2_12_aarch64`: manylinux wheels for aarch64 start at "
         "glibc 2.17"},
        {"t",
         "3.12",
         "manylinux_2_x86_64",
         "cp",
         {},
         "unknown platform tag `manylinux_2_x86_64`: expected manylinux_<major>_<minor>_<arch>"},
        {"t",
         "3.12",
         "macosx_11_0_universal2",
         "cp",
         {},
         "unknown platform tag `macosx_11_0_universal2`: a macOS target's architecture is "
         "`arm64` or `x86_64` (the machine's, not `universal2`)"},
        {"t",
         "3.12",
         "macosx_10_15_arm64",
         "cp",
         {},
         "unknown platform tag `macosx_10_15_arm64`: arm64 Macs run macOS 11 or later"},
    };
    for (const auto& row : rows) {
        try {
            Target::make(row.name, row.python, row.platform, row.implementation, row.cuda);
            ADD_FAILURE() << row.message;
        } catch (const airlock::Error& e) {
            EXPECT_EQ(std::string(e.what()), row.message);
            EXPECT_FALSE(e.hint().empty()) << row.message;
            EXPECT_EQ(e.exit(), airlock::Exit::user);
        }
    }
}

TEST(Target, ChangedAfterMakeIsAnInternalError) {
    auto t = Target::make("t", "3.12", "win_amd64");
    auto copy = t;
    EXPECT_EQ(copy, t);
    EXPECT_EQ(copy.supported_tags().size(), t.supported_tags().size());
    t.platform = "win32";
    EXPECT_THROW(t.supported_tags(), airlock::Error);
    EXPECT_THROW(Target{}.environment(), airlock::Error);
}

// ---- conda --------------------------------------------------------------------------------

namespace {

std::string virtuals(const Target& t) {
    std::string out;
    for (const auto& v : t.virtual_packages())
        out += (out.empty() ? "" : " ") + v.name + "=" + v.version + "=" + v.build;
    return out;
}

}  // namespace

TEST(CondaSubdir, FollowsThePlatform) {
    const std::pair<const char*, const char*> table[] = {
        {"manylinux_2_28_x86_64", "linux-64"},
        {"manylinux2014_x86_64", "linux-64"},
        {"manylinux2014_aarch64", "linux-aarch64"},
        {"musllinux_1_2_x86_64", "linux-64"},
        {"linux_ppc64le", "linux-ppc64le"},
        {"manylinux_2_17_i686", "linux-32"},
        {"win_amd64", "win-64"},
        {"win32", "win-32"},
        {"win_arm64", "win-arm64"},
        {"macosx_11_0_arm64", "osx-arm64"},
        {"macosx_10_15_x86_64", "osx-64"},
    };
    for (auto [platform, subdir] : table)
        EXPECT_EQ(Target::make("t", "3.12", platform).conda_subdir(), subdir) << platform;
    EXPECT_EQ(Target::make("t", "3.12", "manylinux_2_28_x86_64", "cp", std::nullopt, "linux-64")
                  .conda_subdir(),
              "linux-64");
}

TEST(CondaSubdir, ExplicitSubdirIsChecked) {
    try {
        Target::make("t", "3.12", "manylinux_2_28_x86_64", "cp", std::nullopt, "linux-65");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_STREQ(e.what(), "unknown conda subdir `linux-65`");
    }
    try {
        Target::make("t", "3.12", "win_amd64", "cp", std::nullopt, "linux-64");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_STREQ(e.what(),
                     "the conda subdir `linux-64` is for another operating system than the "
                     "platform `win_amd64`");
    }
}

TEST(VirtualPackages, ComeFromTheTarget) {
    EXPECT_EQ(virtuals(Target::make("t", "3.12", "manylinux_2_28_x86_64", "cp", "12.4")),
              "__archspec=1=x86_64 __cuda=12.4=0 __glibc=2.28=0 __linux=5.10=0 __unix=0=0");
    EXPECT_EQ(virtuals(Target::make("t", "3.11", "manylinux2014_aarch64")),
              "__archspec=1=aarch64 __glibc=2.17=0 __linux=5.10=0 __unix=0=0");
    EXPECT_EQ(virtuals(Target::make("t", "3.12", "musllinux_1_2_x86_64")),
              "__archspec=1=x86_64 __linux=5.10=0 __unix=0=0");
    EXPECT_EQ(virtuals(Target::make("t", "3.12", "win_amd64", "cp", "12.1")),
              "__archspec=1=x86_64 __cuda=12.1=0 __win=0=0");
    EXPECT_EQ(virtuals(Target::make("t", "3.12", "macosx_11_0_arm64")),
              "__archspec=1=arm64 __osx=11.0=0 __unix=0=0");
    EXPECT_EQ(virtuals(Target::make("t", "3.12", "macosx_10_15_x86_64")),
              "__archspec=1=x86_64 __osx=10.15=0 __unix=0=0");
}

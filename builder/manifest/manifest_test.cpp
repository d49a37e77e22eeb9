#include "builder/manifest/manifest.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/source_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace airlock;
using namespace airlock::manifest;

namespace {

const char* const valid = R"([bundle]
name = "torch-lab"
version = "2026.11.1"

[[target]]
name = "linux-py312-cu124"
python = "3.12"
platform = "manylinux_2_28_x86_64"
cuda = "12.4"

[[target]]
name = "win-py312"
python = "3.12"
platform = "win_amd64"
implementation = "cp"

[[index]]
name = "pypi"
url = "${INDEX}/simple/"
mirrors = ["https://pypi.tuna.tsinghua.edu.cn/simple"]

[[index]]
name = "pytorch-cu124"
url = "https://download.pytorch.org/whl/cu124"
packages = ["torch", "TorchVision", "nvidia_cudnn.cu12"]

[python]
requirements = ["torch==2.5.1", "torchvision==0.20.1"]
)";

std::optional<std::string> test_env(std::string_view name) {
    if (name == "INDEX")
        return std::string("http://127.0.0.1:8080");
    return std::nullopt;
}

/// The error text for `text` (whole render, without the leading "error: ").
std::string error_of(const std::string& text) {
    try {
        parse_manifest(text, "m.toml", test_env);
    } catch (const Error& e) {
        return e.chain().front();
    }
    return "(no error)";
}

std::string with(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST(Manifest, ParsesTheDesignExample) {
    auto m = parse_manifest(valid, "m.toml", test_env);
    EXPECT_EQ(m.bundle.name, "torch-lab");
    EXPECT_EQ(m.bundle.version, "2026.11.1");
    ASSERT_EQ(m.targets.size(), 2u);
    EXPECT_EQ(m.targets[0].name, "linux-py312-cu124");
    EXPECT_EQ(m.targets[0].python, "3.12");
    EXPECT_EQ(m.targets[0].platform, "manylinux_2_28_x86_64");
    EXPECT_EQ(m.targets[0].implementation, "cpython");
    EXPECT_EQ(m.targets[0].cuda, "12.4");
    EXPECT_EQ(m.targets[0].where.line, 5u);
    EXPECT_EQ(m.targets[1].implementation, "cpython");
    EXPECT_FALSE(m.targets[1].cuda);
    ASSERT_EQ(m.indexes.size(), 2u);
    EXPECT_EQ(m.indexes[0].url, "http://127.0.0.1:8080/simple");
    EXPECT_EQ(m.indexes[0].mirrors,
              std::vector<std::string>{"https://pypi.tuna.tsinghua.edu.cn/simple"});
    EXPECT_TRUE(m.indexes[0].packages.empty());
    EXPECT_EQ(m.indexes[1].packages,
              (std::vector<std::string>{"torch", "torchvision", "nvidia-cudnn-cu12"}));
    EXPECT_EQ(m.python.requirements,
              (std::vector<std::string>{"torch==2.5.1", "torchvision==0.20.1"}));
    ASSERT_EQ(m.python.where.size(), 2u);
    EXPECT_EQ(m.python.where[1].line, 28u);
    EXPECT_EQ(m.python.where[1].column, 33u);
}

TEST(Manifest, SyntaxErrorHasLineColumnAndCaret) {
    EXPECT_EQ(error_of("[bundle]\nname = \"x\nversion = \"1\"\n"),
              "m.toml:2:10: invalid TOML: Error while parsing string: unescaped control characters "
              "other than TAB (U+0009) are explicitly prohibited\n"
              "  name = \"x\n"
              "           ^");
}

TEST(Manifest, UnknownKeySuggestsTheClosest) {
    EXPECT_EQ(error_of(with(valid, "platform = \"win_amd64\"", "platfrom = \"win_amd64\"")),
              "m.toml:14:1: unknown key `platfrom` in [[target]]; did you mean `platform`?\n"
              "  platfrom = \"win_amd64\"\n"
              "  ~~~~~~~^");
    EXPECT_EQ(error_of(with(valid, "[python]", "[pyton]")),
              "m.toml:27:2: unknown key `pyton` in the manifest; did you mean `python`?\n"
              "  [pyton]\n"
              "   ~~~~^");
    EXPECT_EQ(error_of(with(valid, "version = \"2026.11.1\"", "colour = \"red\"")),
              "m.toml:3:1: unknown key `colour` in [bundle]; allowed keys: `name`, `version`\n"
              "  colour = \"red\"\n"
              "  ~~~~~^");
}

TEST(Manifest, TypeErrors) {
    EXPECT_EQ(error_of(with(valid, "python = \"3.12\"\nplatform = \"win",
                            "python = 3.12\nplatform = \"win")),
              "m.toml:13:10: `python` must be a string, not a float; quote it: python = \"3.12\"\n"
              "  python = 3.12\n"
              "           ~~~^");
    EXPECT_EQ(error_of(with(valid, "requirements = [\"torch==2.5.1\", ", "requirements = [1, ")),
              "m.toml:28:17: every entry of `requirements` must be a string, not an integer\n"
              "  requirements = [1, \"torchvision==0.20.1\"]\n"
              "                  ^");
    EXPECT_NE(
        error_of("[bundle]\nname = \"a\"\nversion = \"1\"\n[target]\nname = \"x\"\n")
            .find("m.toml:4:1: `target` must be an array of tables: write [[target]] for each one"),
        std::string::npos);
}

TEST(Manifest, MissingAndDuplicateKeys) {
    EXPECT_EQ(error_of(with(valid, "platform = \"win_amd64\"\n", "")),
              "m.toml:11:1: [[target]] has no `platform`; add e.g. platform = "
              "\"manylinux_2_28_x86_64\"\n"
              "  [[target]]\n"
              "  ~~~~~~~~~^");
    EXPECT_EQ(error_of(with(valid, "name = \"win-py312\"", "name = \"linux-py312-cu124\"")),
              "m.toml:12:8: target name `linux-py312-cu124` is already used at line 5; give each "
              "[[target]] its own name\n"
              "  name = \"linux-py312-cu124\"\n"
              "         ~~~~~~~~~~~~~~~~~~^");
    EXPECT_EQ(error_of(with(valid, "name = \"pytorch-cu124\"", "name = \"pypi\"")),
              "m.toml:23:8: index name `pypi` is already used at line 17; give each [[index]] its "
              "own name\n"
              "  name = \"pypi\"\n"
              "         ~~~~~^");
    EXPECT_EQ(error_of(with(valid, "[\"torch==2.5.1\", \"torchvision==0.20.1\"]", "[]")),
              "m.toml:28:16: `requirements` is empty; list what to bundle, e.g. requirements = "
              "[\"requests>=2\"]\n"
              "  requirements = []\n"
              "                 ~^");
}

TEST(Manifest, PackageClaimedByTwoIndexes) {
    auto text = with(valid, "mirrors = [", "packages = [\"Torch\"]\nmirrors = [");
    EXPECT_EQ(error_of(text),
              "m.toml:26:13: package `torch` is claimed by index `pypi` and index "
              "`pytorch-cu124`; a package may come from one index only: remove it from one of "
              "the `packages` lists\n"
              "  packages = [\"torch\", \"TorchVision\", \"nvidia_cudnn.cu12\"]\n"
              "              ~~~~~~^");
}

TEST(Manifest, InvalidTargetValues) {
    EXPECT_EQ(error_of(with(valid, "\"win_amd64\"", "\"windows\"")),
              "m.toml:14:12: `windows` is not a wheel platform tag; use e.g. "
              "`manylinux_2_28_x86_64`, `musllinux_1_2_x86_64`, `win_amd64` or "
              "`macosx_11_0_arm64`\n"
              "  platform = \"windows\"\n"
              "             ~~~~~~~~^");
    EXPECT_NE(
        error_of(with(valid, "cuda = \"12.4\"", "cuda = \"twelve\"")).find("not a CUDA version"),
        std::string::npos);
    EXPECT_NE(
        error_of(with(valid, "python = \"3.12\"", "python = \"py3\"")).find("not a Python version"),
        std::string::npos);
    EXPECT_NE(error_of(with(valid, "implementation = \"cp\"", "implementation = \"jython\""))
                  .find("`cpython` or `pypy`"),
              std::string::npos);
    EXPECT_NE(
        error_of(with(valid, "name = \"win-py312\"", "name = \"win/py312\"")).find("may only use"),
        std::string::npos);
}

TEST(Manifest, UnsetVariableIsNamedAtItsPlace) {
    EXPECT_EQ(error_of(with(valid, "${INDEX}", "${NOPE}")),
              "m.toml:19:8: environment variable `NOPE` used in `url` is not set; export it "
              "before running airlock-build\n"
              "  url = \"${NOPE}/simple/\"\n"
              "         ~~~~~~^");
    EXPECT_NE(error_of(with(valid, "${INDEX}", "${IN DEX}")).find("malformed variable"),
              std::string::npos);
    EXPECT_NE(error_of(with(valid, "${INDEX}/simple/", "ftp://x")).find("absolute http(s)://"),
              std::string::npos);
}

const char* const conda_only = R"([bundle]
name = "conda-lab"
version = "1"

[[target]]
name = "linux-py312-cu124"
python = "3.12"
platform = "manylinux_2_28_x86_64"
cuda = "12.4"
subdir = "linux-64"

[conda]
channels = ["pytorch", "nvidia", "conda-forge/label/dev", "${INDEX}/local/"]
custom_channels = { pytorch = "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/" }
mirrors = { nvidia = ["https://mirror.example/nvidia"] }
channel_priority = "flexible"
specs = ["pytorch=2.3.1", "numpy>=1.26,<2"]
)";

TEST(Manifest, CondaChannelsResolveToURLs) {
    auto m = parse_manifest(conda_only, "m.toml", test_env);
    ASSERT_TRUE(m.conda);
    EXPECT_TRUE(m.python.requirements.empty());
    EXPECT_TRUE(m.indexes.empty());
    EXPECT_EQ(m.targets[0].subdir, "linux-64");
    const auto& c = *m.conda;
    ASSERT_EQ(c.channels.size(), 4u);
    EXPECT_EQ(c.channels[0].name, "pytorch");
    EXPECT_EQ(c.channels[0].url, "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/pytorch");
    EXPECT_EQ(c.channels[1].url, "https://conda.anaconda.org/nvidia");
    EXPECT_EQ(c.channels[1].mirrors, std::vector<std::string>{"https://mirror.example/nvidia"});
    EXPECT_EQ(c.channels[2].url, "https://conda.anaconda.org/conda-forge/label/dev");
    EXPECT_EQ(c.channels[3].url, "http://127.0.0.1:8080/local");
    EXPECT_EQ(c.channels[3].where.line, 13u);
    EXPECT_EQ(c.channel_priority, ChannelPriority::flexible);
    EXPECT_EQ(c.specs, (std::vector<std::string>{"pytorch=2.3.1", "numpy>=1.26,<2"}));
    EXPECT_EQ(c.where[1].line, 17u);

    auto aliased = parse_manifest(
        with(conda_only, "[conda]\n", "[conda]\nchannel_alias = \"https://mirror.example/c/\"\n"),
        "m.toml", test_env);
    EXPECT_EQ(aliased.conda->channels[1].url, "https://mirror.example/c/nvidia");
    EXPECT_EQ(aliased.conda->channel_priority, ChannelPriority::flexible);
}

TEST(Manifest, PythonAndCondaTogether) {
    auto m = parse_manifest(std::string(valid) +
                                "\n[conda]\nchannels = [\"conda-forge\"]\n"
                                "specs = [\"python=3.12\"]\n",
                            "m.toml", test_env);
    ASSERT_TRUE(m.conda);
    EXPECT_EQ(m.conda->channel_priority, ChannelPriority::strict);
    EXPECT_EQ(m.python.requirements.size(), 2u);
}

TEST(Manifest, CondaErrors) {
    EXPECT_EQ(error_of(with(conda_only, "channel_priority", "channel_prority")),
              "m.toml:16:1: unknown key `channel_prority` in [conda]; did you mean "
              "`channel_priority`?\n"
              "  channel_prority = \"flexible\"\n"
              "  ~~~~~~~~~~~~~~^");
    EXPECT_EQ(error_of(with(conda_only, "\"flexible\"", "\"loose\"")),
              "m.toml:16:20: `loose` is not a channel priority; use \"strict\" (a package comes "
              "from the first channel that has it) or \"flexible\"\n"
              "  channel_priority = \"loose\"\n"
              "                     ~~~~~~^");
    EXPECT_EQ(
        error_of(with(conda_only, "\"nvidia\", \"conda", "\"nvidia\", \"py torch\", \"conda")),
        "m.toml:13:34: `py torch` is not a channel; write a name such as \"conda-forge\" "
        "(found under `channel_alias`) or a full URL such as "
        "\"https://conda.anaconda.org/pytorch\"\n"
        "  channels = [\"pytorch\", \"nvidia\", \"py torch\", \"conda-forge/label/dev\", "
        "\"${INDEX}/local/\"]\n"
        "                                   ~~~~~~~~~^");
    EXPECT_NE(error_of(with(conda_only, "\"nvidia\", \"conda", "\"nvidia\", \"nvidia\", \"conda"))
                  .find("m.toml:13:34: the channel `nvidia` is listed twice"),
              std::string::npos);
    EXPECT_NE(error_of(with(conda_only, "mirrors = { nvidia", "mirrors = { nvidai"))
                  .find("`mirrors` names the channel `nvidai`, which is not in `channels`"),
              std::string::npos);
    EXPECT_NE(error_of(with(conda_only, "[\"pytorch=2.3.1\", \"numpy>=1.26,<2\"]", "[]"))
                  .find("m.toml:17:9: `specs` is empty"),
              std::string::npos);
    EXPECT_NE(error_of(with(conda_only, "subdir = \"linux-64\"", "subdir = \"x86_64\""))
                  .find("m.toml:10:10: `x86_64` is not a conda subdir"),
              std::string::npos);
    EXPECT_NE(error_of(with(conda_only, "specs = [\"pytorch=2.3.1\", \"numpy>=1.26,<2\"]\n", ""))
                  .find("[conda] has no `specs`"),
              std::string::npos);
}

TEST(Manifest, Prereleases) {
    auto m = parse_manifest(valid, "m.toml", test_env);
    EXPECT_EQ(m.python.prereleases, PrereleaseMode::if_necessary_or_explicit);
    const struct {
        const char* text;
        PrereleaseMode mode;
    } rows[] = {
        {"disallow", PrereleaseMode::disallow},
        {"allow", PrereleaseMode::allow},
        {"if-necessary", PrereleaseMode::if_necessary},
        {"explicit", PrereleaseMode::explicit_only},
        {"if-necessary-or-explicit", PrereleaseMode::if_necessary_or_explicit},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.text);
        auto text = with(valid, "[python]\n",
                         "[python]\nprereleases = \"" + std::string(row.text) + "\"\n");
        EXPECT_EQ(parse_manifest(text, "m.toml", test_env).python.prereleases, row.mode);
        EXPECT_EQ(to_string(row.mode), row.text);
    }
    EXPECT_EQ(error_of(with(valid, "[python]\n", "[python]\nprereleases = \"sometimes\"\n")),
              "m.toml:28:15: `sometimes` is not a pre-release mode; use \"disallow\", \"allow\", "
              "\"if-necessary\", \"explicit\" or \"if-necessary-or-explicit\" (the default)\n"
              "  prereleases = \"sometimes\"\n"
              "                ~~~~~~~~~~^");
}

TEST(Manifest, PatchVersionTargets) {
    auto m = parse_manifest(with(valid, "python = \"3.12\"\nplatform = \"win_amd64\"",
                                 "python = \"3.12.4\"\nplatform = \"win_amd64\""),
                            "m.toml", test_env);
    EXPECT_EQ(m.targets[1].python, "3.12.4");
}

TEST(Manifest, MissingSectionsAndFile) {
    EXPECT_NE(error_of("[bundle]\nname=\"a\"\nversion=\"1\"\n").find("has no [[target]]"),
              std::string::npos);
    EXPECT_NE(
        error_of(with(valid,
                      "[python]\nrequirements = [\"torch==2.5.1\", \"torchvision==0.20.1\"]\n", ""))
            .find("has no [python]"),
        std::string::npos);
    try {
        load_manifest("/nonexistent/airlock.toml");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(
            e.chain().front(),
            "cannot read the manifest `/nonexistent/airlock.toml`: No such file or directory");
    }
}

TEST(Manifest, LoadsExampleManifests) {
    std::filesystem::path dir = test_support::source_dir() / "manifests";
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    // Every `${AIRLOCK_EXAMPLE_*}` gets a loopback URL, as the demo and the tests set them.
    auto env = [](std::string_view name) -> std::optional<std::string> {
        if (name.starts_with("AIRLOCK_EXAMPLE_"))
            return std::string("http://127.0.0.1:1/simple");
        return std::nullopt;
    };
    for (auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".toml")
            continue;
        SCOPED_TRACE(entry.path().string());
        std::string text = test_support::read_file(entry.path());
        EXPECT_NO_THROW(parse_manifest(text, entry.path(), env));
    }
}

TEST(Manifest, CredentialsAreSplitOffEveryUrl) {
    auto text =
        with(with(valid, "${INDEX}/simple/", "http://alice:${TOKEN}@127.0.0.1:8080/simple/"),
             "https://pypi.tuna.tsinghua.edu.cn/simple",
             "https://bob:mirror%2Fpw@pypi.tuna.tsinghua.edu.cn/simple");
    auto env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "TOKEN")
            return std::string("t0ken-s3cret");
        return std::nullopt;
    };
    auto m = parse_manifest(text, "m.toml", env);
    EXPECT_EQ(m.indexes[0].url, "http://127.0.0.1:8080/simple");
    EXPECT_EQ(m.indexes[0].mirrors,
              std::vector<std::string>{"https://pypi.tuna.tsinghua.edu.cn/simple"});
    ASSERT_EQ(m.indexes[0].credentials.size(), 2u);
    EXPECT_EQ(m.indexes[0].credentials[0].root, "http://127.0.0.1:8080/simple");
    EXPECT_EQ(m.indexes[0].credentials[0].credentials.user, "alice");
    EXPECT_EQ(m.indexes[0].credentials[0].credentials.password, "t0ken-s3cret");
    EXPECT_EQ(m.indexes[0].credentials[1].credentials.password, "mirror/pw");
    EXPECT_TRUE(m.indexes[1].credentials.empty());
    // A bad URL's message does not print the expanded secret.
    auto bad = with(valid, "${INDEX}/simple/", "gopher://alice:${TOKEN}@h/simple/");
    try {
        parse_manifest(bad, "m.toml", env);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.render().find("t0ken"), std::string::npos) << e.render();
    }
}

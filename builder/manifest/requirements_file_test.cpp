#include "builder/manifest/requirements_file.hpp"

#include "builder/manifest/composed_manifest.hpp"
#include "builder/manifest/environment_yml.hpp"
#include "builder/manifest/target_flag.hpp"
#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace airlock;
using namespace airlock::manifest;

namespace {

const std::string hash_a(64, 'a');
const std::string hash_b(64, 'B');

/// A temp dir whose files the tests write by relative name (parents created).
class Files : public test_support::TempDir {
  public:
    Files() : TempDir("airlock-reqs-") {}
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        auto p = path() / name;
        std::filesystem::create_directories(p.parent_path());
        test_support::write_file(p, text);
        return p;
    }
};

std::string error_of(const std::function<void()>& body) {
    try {
        body();
    } catch (const Error& e) {
        return e.render();
    }
    return "(no error)";
}

TEST(RequirementsFile, LinesContinuationsCommentsAndMarkers) {
    RequirementsFile out;
    parse_requirements_text(
        "# a comment\n"
        "numpy>=1.26  # trailing comment\n"
        "\n"
        "requests[socks]==2.32.3 \\\n"
        "    ; python_version >= \"3.8\"\n",
        "reqs.txt", out);
    ASSERT_EQ(out.requirements.size(), 2u);
    EXPECT_EQ(out.requirements[0].text, "numpy>=1.26");
    EXPECT_EQ(out.requirements[0].where.line, 2u);
    EXPECT_EQ(out.requirements[1].text, "requests[socks]==2.32.3 ; python_version >= \"3.8\"");
    EXPECT_EQ(out.requirements[1].name, "requests");
    EXPECT_EQ(out.requirements[1].where.line, 4u);
    EXPECT_FALSE(out.require_hashes);
}

TEST(RequirementsFile, OptionsAndHashes) {
    RequirementsFile out;
    parse_requirements_text(
        "--index-url https://mirror.example/simple\n"
        "--extra-index-url=https://extra.example/simple\n"
        "-i https://last.example/simple\n"
        "--pre\n"
        "Foo_Bar==1.0 --hash=sha256:" +
            hash_a + " \\\n    --hash sha256:" + hash_b + "\n",
        "reqs.txt", out);
    ASSERT_EQ(out.index_urls.size(), 2u);
    EXPECT_EQ(out.index_urls.back().url, "https://last.example/simple");
    ASSERT_EQ(out.extra_index_urls.size(), 1u);
    EXPECT_EQ(out.extra_index_urls[0].url, "https://extra.example/simple");
    EXPECT_TRUE(out.pre);
    EXPECT_TRUE(out.require_hashes);
    ASSERT_EQ(out.requirements.size(), 1u);
    EXPECT_EQ(out.requirements[0].name, "foo-bar");
    EXPECT_EQ(out.requirements[0].sha256, (std::vector<std::string>{hash_a, std::string(64, 'b')}));
}

TEST(RequirementsFile, IncludesAreRelativeToTheIncludingFile) {
    Files dir;
    dir.write("sub/base.txt", "-c ../pins.txt\nfilelock\n");
    dir.write("pins.txt", "filelock<3.16\n");
    auto top = dir.write("requirements.txt", "-r sub/base.txt\njinja2\n");
    RequirementsFile out;
    read_requirements_file(top, out);
    ASSERT_EQ(out.requirements.size(), 2u);
    EXPECT_EQ(out.requirements[0].text, "filelock");
    EXPECT_EQ(out.requirements[0].where.file, (dir.path() / "sub/base.txt").string());
    EXPECT_EQ(out.requirements[1].text, "jinja2");
    ASSERT_EQ(out.constraints.size(), 1u);
    EXPECT_EQ(out.constraints[0].text, "filelock<3.16");
}

TEST(RequirementsFile, IncludeLoopIsRefused) {
    Files dir;
    dir.write("b.txt", "-r a.txt\n");
    auto a = dir.write("a.txt", "-r b.txt\n");
    RequirementsFile out;
    EXPECT_NE(error_of([&] { read_requirements_file(a, out); }).find("includes itself"),
              std::string::npos);
}

TEST(RequirementsFile, RefusedLinesSayWhatToDo) {
    auto error = [](const std::string& text) {
        RequirementsFile out;
        return error_of([&] { parse_requirements_text(text, "r.txt", out); });
    };
    EXPECT_NE(error("-e ./project\n").find("editable requirements"), std::string::npos);
    EXPECT_NE(error("./dist/foo-1.0-py3-none-any.whl\n").find("a path is not a requirement"),
              std::string::npos);
    EXPECT_NE(error("--no-binary :all:\n").find("wheels only"), std::string::npos);
    EXPECT_NE(error("foo==1 --hash=md5:abc\n").find("is not a sha256 hash"), std::string::npos);
    EXPECT_NE(error("--frobnicate\n").find("is not an option"), std::string::npos);
    EXPECT_EQ(error("foo>=1,<\n"),
              "error: r.txt:1:8: invalid requirement: invalid version specifier `<`: expected a "
              "version after the operator\n  foo>=1,<\n         ^\n");
}

TEST(RequirementsFile, HashModeIsAllOrNone) {
    RequirementsFile out;
    parse_requirements_text("a==1 --hash=sha256:" + hash_a + "\nb==2\n", "r.txt", out);
    EXPECT_NE(error_of([&] { check_hash_mode(out); }).find("`b==2` has no --hash"),
              std::string::npos);
    RequirementsFile loose;
    parse_requirements_text("a>=1 --hash=sha256:" + hash_a + "\n", "r.txt", loose);
    EXPECT_NE(error_of([&] { check_hash_mode(loose); }).find("is not pinned with =="),
              std::string::npos);
    RequirementsFile none;
    parse_requirements_text("a>=1\n", "r.txt", none);
    EXPECT_NO_THROW(check_hash_mode(none));
}

TEST(TargetFlag, ParsesAndRefuses) {
    auto t = parse_target_flag("linux-py312:manylinux_2_28_x86_64:3.12:12.4");
    EXPECT_EQ(t.name, "linux-py312");
    EXPECT_EQ(t.platform, "manylinux_2_28_x86_64");
    EXPECT_EQ(t.python, "3.12");
    EXPECT_EQ(t.cuda, "12.4");
    EXPECT_FALSE(parse_target_flag("win:win_amd64:3.11").cuda);
    EXPECT_THROW(parse_target_flag("linux:manylinux_2_28_x86_64"), Error);
    EXPECT_THROW(parse_target_flag("linux:ubuntu:3.12"), Error);
    EXPECT_THROW(parse_target_flag("linux:manylinux_2_28_x86_64:python3"), Error);
    EXPECT_THROW(parse_target_flag("mac:macosx_11_0_arm64:3.12:12.4"), Error);
}

TEST(EnvironmentYml, ChannelsSpecsPipAndName) {
    Files dir;
    dir.write("extra.txt", "filelock\n");
    auto path = dir.write("environment.yml",
                          "name: torch-lab\n"
                          "channels:\n"
                          "  - pytorch\n"
                          "  - conda-forge\n"
                          "  - nodefaults\n"
                          "dependencies:\n"
                          "  - python=3.12\n"
                          "  - pytorch=2.5.1\n"
                          "  - pip\n"
                          "  - pip:\n"
                          "      - jinja2==3.1.4\n"
                          "      - -r extra.txt\n");
    auto env = read_environment_file(path);
    EXPECT_EQ(env.name, "torch-lab");
    EXPECT_EQ(env.channels, (std::vector<std::string>{"pytorch", "conda-forge"}));
    EXPECT_EQ(env.specs, (std::vector<std::string>{"python=3.12", "pytorch=2.5.1", "pip"}));
    EXPECT_EQ(env.where[1].line, 8u);
    ASSERT_EQ(env.pip.requirements.size(), 2u);
    EXPECT_EQ(env.pip.requirements[0].text, "jinja2==3.1.4");
    EXPECT_EQ(env.pip.requirements[0].where.line, 11u);
    EXPECT_EQ(env.pip.requirements[1].text, "filelock");
}

TEST(EnvironmentYml, RefusesWhatItCannotHonour) {
    auto error = [](const std::string& text) {
        return error_of([&] { parse_environment_text(text, "environment.yml"); });
    };
    EXPECT_NE(error("name: x\nvariables:\n  A: b\ndependencies: [numpy]\nchannels: [c]\n")
                  .find("unknown key `variables`"),
              std::string::npos);
    EXPECT_NE(error("name: x\ndependencies: [numpy]\n").find("no `channels`"), std::string::npos);
    EXPECT_NE(error("name: [oops\n").find("invalid YAML"), std::string::npos);
    EXPECT_NE(
        error("name: x\nchannels: [c]\ndependencies:\n  - pip:\n      - -e .\n").find("editable"),
        std::string::npos);
}

TEST(ComposedManifest, RequirementsBecomeTheEquivalentManifest) {
    Files dir;
    auto reqs = dir.write(
        "requirements.txt",
        "--index-url https://mirror.example/simple\n"
        "--pre\n"
        "a==1.0 --hash=sha256:" +
            hash_a + "\nb==2.0 ; sys_platform == \"linux\" --hash=sha256:" + hash_a + "\n");
    InputFiles inputs;
    inputs.requirements = {reqs};
    inputs.add_targets = {"linux:manylinux_2_28_x86_64:3.12"};
    auto manifest = load_inputs(inputs);
    EXPECT_EQ(manifest.bundle.name, "bundle");
    ASSERT_EQ(manifest.targets.size(), 1u);
    ASSERT_EQ(manifest.indexes.size(), 1u);
    EXPECT_EQ(manifest.indexes[0].url, "https://mirror.example/simple");
    EXPECT_EQ(manifest.python.requirements,
              (std::vector<std::string>{"a==1.0", "b==2.0 ; sys_platform == \"linux\""}));
    EXPECT_EQ(manifest.python.where[1].file, reqs.string());
    EXPECT_EQ(manifest.python.where[1].line, 4u);
    EXPECT_EQ(manifest.python.hashes.at("a"), std::vector<std::string>{hash_a});
    EXPECT_EQ(manifest.python.prereleases, PrereleaseMode::allow);

    inputs.add_targets.clear();
    EXPECT_NE(error_of([&] { load_inputs(inputs); }).find("no target"), std::string::npos);
}

TEST(ComposedManifest, AManifestGetsExtraTargets) {
    Files dir;
    auto path = dir.write("m.toml",
                          "[bundle]\nname = \"b\"\nversion = \"1\"\n\n[[target]]\nname = "
                          "\"linux\"\npython = \"3.12\"\nplatform = \"manylinux_2_28_x86_64\"\n\n"
                          "[[index]]\nname = \"pypi\"\nurl = \"https://pypi.org/simple\"\n\n"
                          "[python]\nrequirements = [\"a\"]\n");
    InputFiles inputs;
    inputs.manifest = path;
    inputs.add_targets = {"win:win_amd64:3.11"};
    auto manifest = load_inputs(inputs);
    ASSERT_EQ(manifest.targets.size(), 2u);
    EXPECT_EQ(manifest.targets[1].name, "win");
    EXPECT_EQ(manifest.python.where[0].line, 15u);  // its own lines keep their numbers

    inputs.add_targets = {"linux:win_amd64:3.11"};
    EXPECT_NE(error_of([&] {
                  load_inputs(inputs);
              }).find("the manifest has a target of that name already"),
              std::string::npos);
}

TEST(ComposedManifest, IndexesComeFromOnePlace) {
    Files dir;
    auto path = dir.write("m.toml",
                          "[bundle]\nname = \"b\"\nversion = \"1\"\n\n[[target]]\nname = "
                          "\"linux\"\npython = \"3.12\"\nplatform = \"manylinux_2_28_x86_64\"\n\n"
                          "[[index]]\nname = \"pypi\"\nurl = \"https://pypi.org/simple\"\n");
    auto plain = dir.write("plain.txt", "numpy\n");
    auto indexed = dir.write("indexed.txt", "-i https://mirror.example/simple\nnumpy\n");
    InputFiles inputs;
    inputs.manifest = path;
    inputs.requirements = {plain};
    auto manifest = load_inputs(inputs);  // the manifest's index, the file's requirements
    ASSERT_EQ(manifest.indexes.size(), 1u);
    EXPECT_EQ(manifest.indexes[0].name, "pypi");
    EXPECT_EQ(manifest.python.requirements, std::vector<std::string>{"numpy"});
    inputs.requirements = {indexed};
    EXPECT_NE(error_of([&] { load_inputs(inputs); }).find("index options too"), std::string::npos);
}

TEST(Manifest, ARequirementsFileGivenAsTheManifestGetsAHint) {
    Files dir;
    auto reqs = dir.write("requirements.txt", "numpy==2.1.0\n");
    auto env = dir.write("environment.yml", "name: x\ndependencies: [numpy]\n");
    auto hint = [](const std::filesystem::path& p) {
        try {
            load_manifest(p);
        } catch (const Error& e) {
            return e.hint();
        }
        return std::string();
    };
    EXPECT_NE(hint(reqs).find("--requirements"), std::string::npos);
    EXPECT_NE(hint(env).find("--environment"), std::string::npos);
}

}  // namespace

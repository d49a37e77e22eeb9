#include "installer/host/interpreter.hpp"

#include "core/base/error.hpp"
#include "installer/host/process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace airlock::host {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Interpreter, ParsesProbeWithoutTagsAndComputesThem) {
    auto in = parse_probe(
        R"({"implementation":"cpython","version":[3,12,1],"machine":"x86_64","system":"Linux",)"
        R"("in_venv":false,"has_pip":true,"has_venv":true,"glibc":"2.36","tags":null})",
        "/usr/bin/python3.12");
    EXPECT_EQ(in.python_version(), "3.12");
    EXPECT_EQ(in.describe(), "CPython 3.12.1 on Linux x86_64 glibc 2.36");
    EXPECT_EQ(in.tag_source, TagSource::computed);
    EXPECT_EQ(in.tags.front(), "cp312-cp312-manylinux_2_36_x86_64");
    EXPECT_TRUE(contains(in.tags, "cp312-abi3-manylinux2014_x86_64"));
    EXPECT_TRUE(contains(in.tags, "cp38-abi3-manylinux_2_17_x86_64"));
    EXPECT_TRUE(contains(in.tags, "py3-none-any"));
    EXPECT_EQ(in.tags.back(), "py30-none-any");
    auto platforms = in.platform_tags();
    EXPECT_EQ(platforms.front(), "manylinux_2_36_x86_64");
    EXPECT_EQ(platforms.back(), "linux_x86_64");
    EXPECT_TRUE(contains(platforms, "manylinux1_x86_64"));
}

TEST(Interpreter, UnreadableProbeNamesTheInterpreter) {
    try {
        parse_probe("not json", "/opt/py/bin/python");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.render().find("`/opt/py/bin/python`"), std::string::npos);
    }
}

TEST(Interpreter, ComputedTagsMatchPackagingWhenAvailable) {
    // Compare with the real interpreter's own list (via packaging or pip's vendored copy).
    auto python = find_on_path("python3");
    ASSERT_TRUE(python) << "no python3 on PATH: apt-get install python3 (packaging/setup.sh does)";
    auto in = probe_interpreter(*python);
    ASSERT_NE(in.tag_source, TagSource::computed)
        << "neither packaging nor pip's vendored copy is importable by " << python->string()
        << ": apt-get install python3-pip (packaging/setup.sh does)";
    auto computed = computed_tags(in.major, in.minor, in.system, in.machine, in.glibc);
    for (const auto& tag : computed) {
        if (tag.find("-none-any") != std::string::npos || tag.starts_with("cp")) {
            EXPECT_TRUE(contains(in.tags, tag)) << tag;
        }
    }
    EXPECT_EQ(in.platform_tags(), [&] {
        Interpreter c = in;
        c.tags = computed;
        return c.platform_tags();
    }());
}

TEST(Process, IsolatedEnvironmentDropsPipAndPythonVariables) {
    setenv("PIP_FIND_LINKS", "/nowhere", 1);
    setenv("PYTHONPATH", "/evil", 1);
    setenv("AIRLOCK_KEEP_ME", "1", 1);
    auto env = isolated_environment();
    EXPECT_FALSE(contains(env, "PIP_FIND_LINKS=/nowhere"));
    EXPECT_FALSE(contains(env, "PYTHONPATH=/evil"));
    EXPECT_TRUE(contains(env, "AIRLOCK_KEEP_ME=1"));
    EXPECT_TRUE(contains(env, "PIP_CONFIG_FILE=/dev/null"));
    auto out =
        capture({{"sh", "-c", "env | grep -c '^PIP_FIND_LINKS=' ; echo err >&2; exit 3"}, env});
    EXPECT_EQ(out.status, 3);
    EXPECT_EQ(out.out, "0\n");
    EXPECT_EQ(out.err, "err\n");
}

TEST(Process, RenderCommandQuotesForTheShell) {
    EXPECT_EQ(render_command({"/usr/bin/python3", "-m", "pip", "a b", "it's"}),
              "/usr/bin/python3 -m pip 'a b' 'it'\\''s'");
}

TEST(Process, MissingProgramIsAnError) {
    EXPECT_THROW(run({{"/nonexistent/program"}, isolated_environment()}), Error);
}

}  // namespace
}  // namespace airlock::host

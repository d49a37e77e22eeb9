#include "core/pep508/marker.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using airlock::pep508::Environment;
using airlock::pep508::Marker;

namespace {

Environment linux_py312() {
    Environment env;
    env.implementation_name = "cpython";
    env.implementation_version = "3.12.1";
    env.os_name = "posix";
    env.platform_machine = "x86_64";
    env.platform_python_implementation = "CPython";
    env.platform_release = "";
    env.platform_system = "Linux";
    env.platform_version = "";
    env.python_full_version = "3.12.1";
    env.python_version = "3.12";
    env.sys_platform = "linux";
    return env;
}

Environment windows_py312() {
    Environment env = linux_py312();
    env.os_name = "nt";
    env.platform_machine = "AMD64";
    env.platform_system = "Windows";
    env.sys_platform = "win32";
    return env;
}

struct Row {
    const char* marker;
    bool on_linux;
    bool on_windows;
    const char* extra = "";
};

// Each row evaluated against Linux/CPython 3.12 and Windows/CPython 3.12; checked against
// pypa/packaging 24.1 (except the `extra` rows without an extra: see EvaluationTable).
const Row kEvaluation[] = {
    {R"(platform_system == "Linux")", true, false},
    {R"(platform_system != "Linux")", false, true},
    {R"(sys_platform == "win32")", false, true},
    {R"(sys_platform == 'linux')", true, false},
    {R"(os_name == "nt")", false, true},
    {R"(os.name == "posix")", true, false},
    {R"(platform_machine == "x86_64")", true, false},
    {R"(platform_machine in "x86_64 AMD64")", true, true},
    {R"(python_version >= "3.12")", true, true},
    {R"(python_version < "3.13")", true, true},
    {R"(python_version > "3.8")", true, true},  // a version comparison: "3.12" > "3.8"
    {R"(python_version < "3.12")", false, false},
    {R"(python_version == "3.12")", true, true},
    {R"(python_version == "3.12.*")", true, true},
    {R"(python_version ~= "3.10")", true, true},
    {R"(python_version != "3.12")", false, false},
    {R"(python_full_version >= "3.12.0")", true, true},
    {R"(python_full_version < "3.12.1")", false, false},
    {R"(python_full_version === "3.12.1")", true, true},
    {R"("3.12" <= python_version)", true, true},
    {R"("3.13" > python_version)", true, true},
    {R"("linux" in sys_platform)", true, false},
    {R"("win" in sys_platform)", false, true},
    {R"("win" not in sys_platform)", true, false},
    {R"(sys_platform in "linux darwin")", true, false},
    {R"(platform_python_implementation == "CPython")", true, true},
    {R"(python_implementation == "CPython")", true, true},
    {R"(implementation_name == "pypy")", false, false},
    {R"(implementation_version >= "3.12")", true, true},
    {R"(platform_release >= "5.0")", false, false},  // unknown release: "" as a string
    {R"(platform_system == "Linux" and python_version < "3.13")", true, false},
    {R"(platform_system == "Linux" or sys_platform == "win32")", true, true},
    {R"(platform_system == "Darwin" or python_version >= "3.12" and os_name == "nt")", false, true},
    {R"((platform_system == "Darwin" or python_version >= "3.12") and os_name == "nt")", false,
     true},
    {R"(sys_platform == "linux" and (platform_machine == "x86_64" or platform_machine == "aarch64"))",
     true, false},
    {R"(((python_version >= "3.12")))", true, true},
    {R"(python_version<"3.13"and(platform_system=="Linux"))", true, false},
    // extras: both sides PEP 503-normalised
    {R"(extra == "Foo_Bar")", true, true, "foo-bar"},
    {R"(extra == "foo-bar")", true, true, "Foo.Bar"},
    {R"(extra == "cuda")", false, false, "cpu"},
    {R"("cuda" == extra)", true, true, "CUDA"},
    {R"(extra != "cuda")", true, true, "cpu"},
    {R"(platform_system == "Linux" and extra == "gpu")", true, false, "gpu"},
    {R"(platform_system == "Linux" or extra == "gpu")", true, true, "gpu"},
};

std::string parse_error(const char* text) {
    try {
        Marker::parse(text);
    } catch (const airlock::Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Marker, EvaluationTable) {
    const Environment linux = linux_py312();
    const Environment windows = windows_py312();
    for (const auto& row : kEvaluation) {
        SCOPED_TRACE(std::string(row.marker) + " with extra `" + row.extra + "`");
        const Marker m = Marker::parse(row.marker);
        EXPECT_EQ(m.evaluate(linux, row.extra), row.on_linux);
        EXPECT_EQ(m.evaluate(windows, row.extra), row.on_windows);
        // The normal form means the same.
        const Marker again = Marker::parse(m.to_string());
        EXPECT_EQ(again.evaluate(linux, row.extra), row.on_linux);
        EXPECT_EQ(again.to_string(), m.to_string());
    }
}

TEST(Marker, ExtraMarkersAreFalseWithoutAnExtra) {
    const Environment linux = linux_py312();
    EXPECT_FALSE(Marker::parse(R"(extra == "gpu")").evaluate(linux));
    EXPECT_FALSE(Marker::parse(R"(extra != "gpu")").evaluate(linux));
    EXPECT_TRUE(Marker::parse(R"(extra == "gpu" or os_name == "posix")").evaluate(linux));
    EXPECT_FALSE(Marker::parse(R"(os_name == "posix" and extra == "gpu")").evaluate(linux));
}

TEST(Marker, NormalForm) {
    const struct {
        const char* input;
        const char* normal;
    } table[] = {
        {R"(python_version>='3.8')", R"(python_version >= "3.8")"},
        {R"(  os.name  ==  "nt"  )", R"(os_name == "nt")"},
        {R"(python_implementation=="CPython")", R"(platform_python_implementation == "CPython")"},
        {R"(sys.platform not   in 'linux')", R"(sys_platform not in "linux")"},
        {R"(extra == 'a"b')", R"(extra == 'a"b')"},
        {R"((python_version >= "3.8"))", R"(python_version >= "3.8")"},
        {R"(python_version >= "3.8" and (os_name == "nt" or extra == "x"))",
         R"(python_version >= "3.8" and (os_name == "nt" or extra == "x"))"},
        {R"((os_name == "nt" and extra == "x") or python_version < "3")",
         R"((os_name == "nt" and extra == "x") or python_version < "3")"},
        {R"(os_name == "nt" and extra == "x" or python_version < "3")",
         R"(os_name == "nt" and extra == "x" or python_version < "3")"},
        {R"(python_version<"3.13"and(platform_system=="Linux"))",
         R"(python_version < "3.13" and platform_system == "Linux")"},
        {R"("3.8" <= python_version)", R"("3.8" <= python_version)"},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.input);
        EXPECT_EQ(Marker::parse(row.input).to_string(), row.normal);
    }
}

TEST(Marker, ErrorMessages) {
    EXPECT_EQ(parse_error(R"(python_version >= "3.8" and)"),
              "invalid marker: expected a marker variable or a quoted string\n"
              "  python_version >= \"3.8\" and\n"
              "                             ^");
    EXPECT_EQ(parse_error(R"(python_version = "3.8")"),
              "invalid marker: expected a marker operator, one of `<=`, `<`, `!=`, `==`, `>=`, "
              "`>`, `~=`, `===`, `in`, `not in`\n"
              "  python_version = \"3.8\"\n"
              "                 ^");
    EXPECT_EQ(parse_error(R"(python_verison >= "3.8")"),
              "invalid marker: `python_verison` is not a marker variable; expected one of "
              "python_version, python_full_version, os_name, sys_platform, platform_release, "
              "platform_system, platform_version, platform_machine, "
              "platform_python_implementation, implementation_name, implementation_version, "
              "extra, or a quoted string\n"
              "  python_verison >= \"3.8\"\n"
              "  ~~~~~~~~~~~~~^");
    EXPECT_EQ(parse_error(R"((os_name == "nt" or extra == "x")"),
              "invalid marker: expected `)` to close the `(`, or `and`/`or` to continue the "
              "marker\n"
              "  (os_name == \"nt\" or extra == \"x\"\n"
              "  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^");
    EXPECT_EQ(parse_error(R"(os_name == "nt)"),
              "invalid marker: expected a closing \" for this string\n"
              "  os_name == \"nt\n"
              "             ~~~^");
    EXPECT_EQ(parse_error(R"(os_name == "nt" xor 1)"),
              "invalid marker: expected `and`, `or` or the end of the marker\n"
              "  os_name == \"nt\" xor 1\n"
              "                  ^");
    EXPECT_EQ(parse_error(R"(os_name not "nt")"),
              "invalid marker: expected `in` after `not`\n"
              "  os_name not \"nt\"\n"
              "          ~~~~^");
    EXPECT_EQ(parse_error(""),
              "invalid marker: expected a marker variable or a quoted string\n"
              "  \n"
              "  ^");
    EXPECT_THROW(Marker::parse(R"(os_name == "nt")) and os_name == "nt")"), airlock::Error);
    EXPECT_THROW(Marker::parse(R"(os_name andnot "nt")"), airlock::Error);
    EXPECT_THROW(Marker::parse(R"(python_version >= 3.8)"), airlock::Error);
}

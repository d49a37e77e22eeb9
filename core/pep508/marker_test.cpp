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
// pypa/packaging 24.1 and 26 (they agree on every row here).
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

TEST(Marker, WithoutAnExtraTheExtraIsEmpty) {
    // packaging evaluates metadata markers with extra = "": `extra != "gpu"` holds for the
    // package itself, so pip installs such a requirement without any extra.
    const Environment linux = linux_py312();
    EXPECT_FALSE(Marker::parse(R"(extra == "gpu")").evaluate(linux));
    EXPECT_TRUE(Marker::parse(R"(extra != "gpu")").evaluate(linux));
    EXPECT_TRUE(Marker::parse(R"(extra == "gpu" or os_name == "posix")").evaluate(linux));
    EXPECT_FALSE(Marker::parse(R"(os_name == "posix" and extra == "gpu")").evaluate(linux));
    EXPECT_FALSE(Marker::parse(R"(extra != "gpu")").evaluate(linux, "GPU"));
}

TEST(Marker, ExtraLiteralsAreNormalisedWhenParsed) {
    // PEP 685; packaging 22+ prints the normalised name.
    const struct {
        const char* input;
        const char* normal;
    } table[] = {
        {R"(extra == "Foo_Bar")", R"(extra == "foo-bar")"},
        {R"("Foo..Bar" == extra)", R"("foo-bar" == extra)"},
        {R"(extra != 'PEP_685...norm')", R"(extra != "pep-685-norm")"},
        {R"(os_name == "Foo_Bar")", R"(os_name == "Foo_Bar")"},  // only extras
        {R"(os_name == "nt" and extra == "S_P__A_M")", R"(os_name == "nt" and extra == "s-p-a-m")"},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.input);
        EXPECT_EQ(Marker::parse(row.input).to_string(), row.normal);
    }
    EXPECT_EQ(Marker::parse(R"(extra == "Foo_Bar")"), Marker::parse(R"(extra == "foo.bar")"));
    const Environment linux = linux_py312();
    EXPECT_TRUE(Marker::parse(R"(extra == "Different.punctuation..is...equal")")
                    .evaluate(linux, "different__punctuation_is_EQUAL"));
}

TEST(Marker, ComparisonsFollowPackaging26) {
    // Versions only for python_version, python_full_version, implementation_version and
    // platform_release; plain strings otherwise: `<`/`>` false, `<=`/`>=` equality.
    const Environment linux = linux_py312();
    const struct {
        const char* marker;
        bool expected;
    } table[] = {
        {R"(python_full_version > "3.12.0")", true},
        {R"("3.12.0" < python_full_version)", true},
        {R"(python_full_version > "3.12.1a1")", true},  // pre-releases compare too
        {R"(python_version > "3.12.0b1")", true},
        {R"(python_version ~= "3.10")", true},
        {R"(python_version == "3.12.*")", true},
        {R"(python_version >= "abc")", false},  // no specifier: strings, `>=` is ==
        {R"(platform_release >= "5")", false},  // "" is no version: nothing matches
        {R"(platform_release == "")", true},
        {R"(sys_platform < "zzz")", false},  // plain strings: `<` and `>` are false
        {R"(sys_platform > "a")", false},
        {R"(sys_platform <= "linux")", true},  // `<=` and `>=` are equality
        {R"(sys_platform >= "linux")", true},
        {R"(sys_platform >= "a")", false},
        {R"(platform_machine <= "x86_64")", true},
        {R"(platform_version >= "1.0")", false},  // not a version variable
        {R"(implementation_name != "pypy")", true},
        {R"("x86" in platform_machine)", true},
        {R"(extra <= "")", true},
        {R"(implementation_version === "3.12.1")", true},  // `===` on versions: the strings
        {R"(python_version === "3.12.0")", false},
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.marker);
        EXPECT_EQ(Marker::parse(row.marker).evaluate(linux), row.expected);
    }
}

TEST(Marker, UndefinedComparisonsAreErrors) {
    const Environment linux = linux_py312();
    for (const char* marker :
         {R"(os_name ~= "posix")", R"(os_name === "posix")", R"("2.7.0" ~= os_name)",
          R"(python_version ~= "3")", R"(platform_release ~= "abc")", R"(extra === "gpu")",
          R"(sys_platform ~= "linux" or os_name == "posix")"}) {
        SCOPED_TRACE(marker);
        auto m = Marker::parse(marker);  // parsing is fine; evaluating is not
        EXPECT_THROW(m.evaluate(linux), airlock::Error);
    }
    try {
        Marker::parse(R"(os_name ~= "posix")").evaluate(linux);
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "undefined comparison in the marker `os_name ~= \"posix\"`: `~=` needs two "
                  "versions, and `posix` ~= `posix` is not a version comparison (pip fails on "
                  "it too)");
    }
    // packaging evaluates every item, even after an `or` is decided: so does airlock.
    EXPECT_THROW(Marker::parse(R"(os_name == "posix" or os_name ~= "x")").evaluate(linux),
                 airlock::Error);
}

TEST(Marker, QuotedStringEscapes) {
    // packaging reads quoted strings with ast.literal_eval.
    const struct {
        const char* marker;
        const char* value;
    } table[] = {
        {R"(os_name == "a\\b")", "a\\b"}, {R"(os_name == "\x41\u00e9")", "A\xc3\xa9"},
        {R"(os_name == '\'')", "'"},  // the string ends at the first `'`: see the errors
        {R"(os_name == "\101")", "A"},    {R"(os_name == "\t")", "\t"},
        {R"(os_name == "\d")", "\\d"},  // Python keeps an unknown escape
    };
    for (const auto& row : table) {
        SCOPED_TRACE(row.marker);
        if (std::string(row.marker) == R"(os_name == '\'')") {
            EXPECT_THROW(Marker::parse(row.marker), airlock::Error);
            continue;
        }
        auto m = Marker::parse(row.marker);
        EXPECT_EQ(m.root().rhs.value, row.value);
        EXPECT_EQ(Marker::parse(m.to_string()).root().rhs.value, row.value);  // round trip
    }
    EXPECT_EQ(parse_error(R"(os_name == "C:\")"),
              "invalid marker: invalid quoted string: the backslash escapes the closing quote, so "
              "the string never ends\n"
              "  os_name == \"C:\\\"\n"
              "             ~~~~^");
    EXPECT_EQ(parse_error(R"(os_name == "\x")"),
              "invalid marker: invalid quoted string: `\\x` needs 2 hexadecimal digits\n"
              "  os_name == \"\\x\"\n"
              "              ~^");
    for (const char* bad :
         {R"(os_name == "\xZZ")", R"(os_name == "\u12")", R"(os_name == "\U0011FFFF")",
          R"(os_name == "\N{DASH}")", R"(os_name == "\ud800")"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(Marker::parse(bad), airlock::Error);
    }
}

TEST(Marker, LineBreaksAreRefused) {
    for (const char* bad : {"os_name == \"nt\"\n", "os_name == \"nt\"\r", "os_name == \"nt\"\r\n",
                            "os_name ==\n\"nt\""}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(Marker::parse(bad), airlock::Error);
    }
    EXPECT_EQ(parse_error("os_name == \"nt\"\n"),
              "invalid marker: a line break (`\\n`) is not allowed in a marker\n"
              "  os_name == \"nt\" \n"
              "                 ^");
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

#include "core/wheel/filename.hpp"

#include "core/base/error.hpp"
#include "core/wheel/project_name.hpp"
#include "core/wheel/sdist_filename.hpp"
#include "core/wheel/url_filename.hpp"

#include <gtest/gtest.h>

using airlock::wheel::WheelFilename;

namespace {

std::string tags_of(const WheelFilename& w) {
    return airlock::tags::to_string(w.tags);
}

}  // namespace

// PEP 427: {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
TEST(WheelFilename, ValidTable) {
    struct Row {
        const char* filename;
        const char* name;
        const char* normalized;
        const char* version;
        const char* build;
        const char* tags;
    };
    const Row rows[] = {
        {"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl", "torch", "torch", "2.5.1+cu124", "",
         "cp312-cp312-linux_x86_64"},
        {"typing_extensions-4.12.2-py3-none-any.whl", "typing_extensions", "typing-extensions",
         "4.12.2", "", "py3-none-any"},
        {"six-1.16.0-py2.py3-none-any.whl", "six", "six", "1.16.0", "",
         "py2-none-any, py3-none-any"},
        {"numpy-2.1.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "numpy",
         "2.1.3", "", "cp312-cp312-manylinux_2_17_x86_64, cp312-cp312-manylinux2014_x86_64"},
        {"foo-1.0-1-py3-none-any.whl", "foo", "foo", "1.0", "1", "py3-none-any"},
        {"foo-1.0-2abc-py3-none-any.whl", "foo", "foo", "1.0", "2abc", "py3-none-any"},
        {"Zope.Interface-6.0-cp311-cp311-win_amd64.whl", "Zope.Interface", "zope-interface", "6.0",
         "", "cp311-cp311-win_amd64"},
        {"nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl", "nvidia_cudnn_cu12",
         "nvidia-cudnn-cu12", "9.1.0.70", "", "py3-none-manylinux2014_x86_64"},
        {"pkg-1!2.0.post1.dev3-cp38-abi3-macosx_11_0_arm64.whl", "pkg", "pkg", "1!2.0.post1.dev3",
         "", "cp38-abi3-macosx_11_0_arm64"},
    };
    for (const auto& row : rows) {
        auto w = WheelFilename::parse(row.filename);
        EXPECT_EQ(w.name, row.name) << row.filename;
        EXPECT_EQ(w.normalized_name, row.normalized) << row.filename;
        EXPECT_EQ(w.version, row.version) << row.filename;
        EXPECT_EQ(w.build_tag, row.build) << row.filename;
        EXPECT_EQ(tags_of(w), row.tags) << row.filename;
        EXPECT_TRUE(WheelFilename::try_parse(row.filename).has_value()) << row.filename;
    }
}

TEST(WheelFilename, BuildTagOrdering) {
    EXPECT_FALSE(WheelFilename::parse("foo-1.0-py3-none-any.whl").build().has_value());
    auto build = WheelFilename::parse("foo-1.0-12abc-py3-none-any.whl").build();
    ASSERT_TRUE(build.has_value());
    EXPECT_EQ(build->first, 12u);
    EXPECT_EQ(build->second, "abc");
    EXPECT_LT(*WheelFilename::parse("foo-1.0-2-py3-none-any.whl").build(), *build);
}

TEST(WheelFilename, InvalidTableWithMessages) {
    struct Row {
        const char* filename;
        const char* message;
    };
    const Row rows[] = {
        {"foo-1.0-py3-none-any.tar.gz",
         "The wheel filename `foo-1.0-py3-none-any.tar.gz` is invalid: must end with .whl"},
        {"foo-1.0-py3-none.whl",
         "The wheel filename `foo-1.0-py3-none.whl` is invalid: wrong number of parts: expected "
         "`name-version[-build]-python-abi-platform`, found 4 `-`-separated parts"},
        {"foo-1.0-1-2-py3-none-any.whl",
         "The wheel filename `foo-1.0-1-2-py3-none-any.whl` is invalid: wrong number of parts: "
         "expected `name-version[-build]-python-abi-platform`, found 7 `-`-separated parts"},
        {"foo-1.0-abc-py3-none-any.whl",
         "The wheel filename `foo-1.0-abc-py3-none-any.whl` is invalid: the build tag `abc` must "
         "start with a digit"},
        {"foo__bar-1.0-py3-none-any.whl",
         "The wheel filename `foo__bar-1.0-py3-none-any.whl` is invalid: the name `foo__bar` "
         "contains `__`"},
        {"-1.0-py3-none-any.whl",
         "The wheel filename `-1.0-py3-none-any.whl` is invalid: the name is empty"},
        {"torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl",
         "The wheel filename `torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl` is invalid: the "
         "version `2.5.1%2Bcu124` holds the character `%` (percent-decode the file name taken "
         "from a URL first)"},
        {"foo-x1-py3-none-any.whl",
         "The wheel filename `foo-x1-py3-none-any.whl` is invalid: the version `x1` does not "
         "start with a digit"},
        {"foo-1.0-py3..py2-none-any.whl",
         "The wheel filename `foo-1.0-py3..py2-none-any.whl` is invalid: the tags "
         "`py3..py2-none-any` are not `python-abi-platform` tag sets"},
    };
    for (const auto& row : rows) {
        EXPECT_FALSE(WheelFilename::try_parse(row.filename).has_value()) << row.filename;
        try {
            WheelFilename::parse(row.filename);
            ADD_FAILURE() << row.filename;
        } catch (const airlock::Error& e) {
            EXPECT_EQ(std::string(e.what()), row.message);
        }
    }
}

TEST(ProjectName, NormalizeTable) {
    const std::pair<const char*, const char*> rows[] = {
        {"torch", "torch"},
        {"Typing_Extensions", "typing-extensions"},
        {"zope.interface", "zope-interface"},
        {"a-_.-b", "a-b"},
        {"FOO", "foo"},
    };
    for (auto [in, out] : rows)
        EXPECT_EQ(airlock::wheel::normalize_project_name(in), out) << in;
}

TEST(SdistFilename, Table) {
    struct Row {
        const char* filename;
        const char* name;
        const char* normalized;
        const char* version;
        const char* extension;
    };
    const Row rows[] = {
        {"python-dateutil-2.9.0.post0.tar.gz", "python-dateutil", "python-dateutil", "2.9.0.post0",
         ".tar.gz"},
        {"Django-5.1.zip", "Django", "django", "5.1", ".zip"},
        {"foo_bar-1.0.tar.bz2", "foo_bar", "foo-bar", "1.0", ".tar.bz2"},
        {"foo-1.0.tar.xz", "foo", "foo", "1.0", ".tar.xz"},
        {"foo-1.0.tgz", "foo", "foo", "1.0", ".tgz"},
        {"foo-1.0-rc1.tar.gz", "foo", "foo", "1.0-rc1", ".tar.gz"},
        {"py-1-2.0.tar.gz", "py-1", "py-1", "2.0", ".tar.gz"},
    };
    for (const auto& row : rows) {
        auto s = airlock::wheel::try_parse_sdist(row.filename);
        ASSERT_TRUE(s.has_value()) << row.filename;
        EXPECT_EQ(s->name, row.name) << row.filename;
        EXPECT_EQ(s->normalized_name, row.normalized) << row.filename;
        EXPECT_EQ(s->version, row.version) << row.filename;
        EXPECT_EQ(s->extension, row.extension) << row.filename;
    }
    for (const char* not_sdist : {"foo-1.0-py3-none-any.whl", "foo.tar.gz", "foo-bar.tar.gz",
                                  ".tar.gz", "foo-1.0.egg", "foo-1.0.tar", "-1.0.zip"}) {
        EXPECT_FALSE(airlock::wheel::try_parse_sdist(not_sdist).has_value()) << not_sdist;
    }
}

TEST(UrlFilename, PercentDecodeTable) {
    const std::pair<const char*, const char*> rows[] = {
        {"torch-2.5.1%2Bcu124", "torch-2.5.1+cu124"},
        {"a%2bb", "a+b"},
        {"a+b", "a+b"},
        {"%41%42%43", "ABC"},
        {"100%", "100%"},
        {"%zz%4", "%zz%4"},
        {"%20x", " x"},
        {"", ""},
    };
    for (auto [in, out] : rows)
        EXPECT_EQ(airlock::wheel::percent_decode(in), out) << in;
}

TEST(UrlFilename, FromUrlTable) {
    const std::pair<const char*, const char*> rows[] = {
        {"https://download.pytorch.org/whl/cu124/"
         "torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl#sha256=abc",
         "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl"},
        {"../../packages/ab/cd/six-1.16.0-py2.py3-none-any.whl?x=1#md5=00",
         "six-1.16.0-py2.py3-none-any.whl"},
        {"six-1.16.0.tar.gz", "six-1.16.0.tar.gz"},
        {"https://example.org/simple/six/", ""},
    };
    for (auto [in, out] : rows)
        EXPECT_EQ(airlock::wheel::filename_from_url(in), out) << in;
    // The index client's path: decode, then parse.
    auto w = WheelFilename::parse(airlock::wheel::filename_from_url(
        "https://download.pytorch.org/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl"));
    EXPECT_EQ(w.version, "2.5.1+cu124");
    EXPECT_EQ(airlock::tags::to_string(w.tags), "cp312-cp312-linux_x86_64");
}

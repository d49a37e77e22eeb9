#include "core/wheel/metadata.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using airlock::wheel::CoreMetadata;

TEST(CoreMetadata, TorchLikeMetadata) {
    const char* text =
        "Metadata-Version: 2.1\n"
        "Name: torch\n"
        "Version: 2.5.1+cu124\n"
        "Summary: Tensors and Dynamic neural networks in Python\n"
        "License: BSD-3\n"
        "Requires-Python: >=3.8.0\n"
        "Description-Content-Type: text/markdown\n"
        "Requires-Dist: filelock\n"
        "Requires-Dist: typing-extensions>=4.8.0\n"
        "Requires-Dist: nvidia-cuda-nvrtc-cu12==12.4.127; platform_system == \"Linux\" and "
        "platform_machine == \"x86_64\"\n"
        "Requires-Dist: setuptools; python_version >= \"3.12\"\n"
        "Provides-Extra: opt-einsum\n"
        "Requires-Dist: opt-einsum>=3.3; extra == \"opt-einsum\"\n"
        "Provides-Extra: optree\n"
        "\n"
        "Requires-Dist: not-a-header-this-is-the-description\n";
    auto m = CoreMetadata::parse(text, "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl");
    EXPECT_EQ(m.metadata_version, "2.1");
    EXPECT_EQ(m.name, "torch");
    EXPECT_EQ(m.version, "2.5.1+cu124");
    EXPECT_EQ(m.requires_python, ">=3.8.0");
    EXPECT_EQ(
        m.requires_dist,
        (std::vector<std::string>{
            "filelock", "typing-extensions>=4.8.0",
            "nvidia-cuda-nvrtc-cu12==12.4.127; platform_system == \"Linux\" and "
            "platform_machine == \"x86_64\"",
            "setuptools; python_version >= \"3.12\"", "opt-einsum>=3.3; extra == \"opt-einsum\""}));
    EXPECT_EQ(m.provides_extra, (std::vector<std::string>{"opt-einsum", "optree"}));
}

TEST(CoreMetadata, ContinuationLinesCrLfCaseAndBom) {
    const char* text =
        "\xEF\xBB\xBF"
        "metadata-version: 1.2\r\n"
        "NAME:   Foo.Bar  \r\n"
        "version: 1.0\r\n"
        "Description: first line\r\n"
        "        |second line\r\n"
        "\tthird line\r\n"
        "Requires-Dist: requests\r\n"
        "  [socks] >=2\r\n"
        "REQUIRES-DIST: idna\r\n"
        "Requires-Python:\r\n"
        " >=3.9\r\n"
        "\r\n"
        "body\r\n";
    auto m = CoreMetadata::parse(text, "PKG-INFO");
    EXPECT_EQ(m.metadata_version, "1.2");
    EXPECT_EQ(m.name, "Foo.Bar");
    EXPECT_EQ(m.version, "1.0");
    EXPECT_EQ(m.requires_dist, (std::vector<std::string>{"requests  [socks] >=2", "idna"}));
    EXPECT_EQ(m.requires_python, ">=3.9");
    EXPECT_TRUE(m.provides_extra.empty());
}

TEST(CoreMetadata, NonHeaderLineEndsHeadersLikeEmailParser) {
    auto m =
        CoreMetadata::parse("Name: a\nVersion: 1\nthis is not a header\nRequires-Dist: b\n", "x");
    EXPECT_TRUE(m.requires_dist.empty());
}

TEST(CoreMetadata, MissingNameOrVersionNamesOrigin) {
    struct Row {
        const char* text;
        const char* message;
    };
    const Row rows[] = {
        {"Metadata-Version: 2.1\nVersion: 1.0\n",
         "the core metadata of `https://h/foo-1.0-py3-none-any.whl.metadata` has no `Name` "
         "field"},
        {"Metadata-Version: 2.1\nName: foo\n",
         "the core metadata of `https://h/foo-1.0-py3-none-any.whl.metadata` has no `Version` "
         "field"},
        {"",
         "the core metadata of `https://h/foo-1.0-py3-none-any.whl.metadata` has no `Name` "
         "field"},
        {"\nName: foo\nVersion: 1\n",
         "the core metadata of `https://h/foo-1.0-py3-none-any.whl.metadata` has no `Name` "
         "field"},
    };
    for (const auto& row : rows) {
        try {
            CoreMetadata::parse(row.text, "https://h/foo-1.0-py3-none-any.whl.metadata");
            ADD_FAILURE() << row.text;
        } catch (const airlock::Error& e) {
            EXPECT_EQ(std::string(e.what()), row.message);
            EXPECT_FALSE(e.hint().empty());
        }
    }
}

#include "builder/index/project_page.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using namespace airlock;
using namespace airlock::index;

// pypi.org/simple/<project>/ HTML (PEP 503 + 592 + 658/714), abbreviated.
const char* const pypi_html = R"(<!DOCTYPE html>
<html>
  <head>
    <meta name="pypi:repository-version" content="1.1">
    <title>Links for idna</title>
  </head>
  <body>
    <h1>Links for idna</h1>
    <a href="https://files.pythonhosted.org/packages/a4/idna-3.6-py3-none-any.whl#sha256=C05567E9C24A6B9FAAA835C4821BAD0590FBB9D5779E7CAA6E1CC4978E7EB24F" data-requires-python="&gt;=3.5" data-dist-info-metadata="sha256=b4b6cd6e4d6e6e0e5c4d5c8b1c1bd3c0d37f6c8f0b0a6e7e9e2e1d1b1a1a1a1a" data-core-metadata="sha256=b4b6cd6e4d6e6e0e5c4d5c8b1c1bd3c0d37f6c8f0b0a6e7e9e2e1d1b1a1a1a1a">idna-3.6-py3-none-any.whl</a><br />
    <a href="https://files.pythonhosted.org/packages/bf/idna-3.6.tar.gz#sha256=9ecdbbd083b06798ae1e86adcbfe8ab1479cf864e4ee30fe4e46a003d12491ca" data-requires-python="&gt;=3.5" >idna-3.6.tar.gz</a><br />
    <a href="https://files.pythonhosted.org/packages/x/idna-2.0-py2.py3-none-any.whl#sha256=aa" data-yanked="">idna-2.0-py2.py3-none-any.whl</a><br />
    <a href="https://files.pythonhosted.org/packages/x/idna-2.1-py2.py3-none-any.whl#sha256=bb" data-yanked="broken &quot;wheel&quot; &amp; more" data-requires-python="&gt;=2.7, !=3.0.*, &lt;4">idna-2.1-py2.py3-none-any.whl</a><br />
  </body>
</html>
<!--SERIAL 21361574-->
)";

TEST(HtmlPage, PypiLike) {
    auto page = parse_html_page(pypi_html, "https://pypi.org/simple/idna/");
    ASSERT_EQ(page.files.size(), 4u);
    const auto& wheel = page.files[0];
    EXPECT_EQ(wheel.filename, "idna-3.6-py3-none-any.whl");
    EXPECT_EQ(wheel.url, "https://files.pythonhosted.org/packages/a4/idna-3.6-py3-none-any.whl");
    EXPECT_EQ(wheel.sha256(), "c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f");
    EXPECT_EQ(wheel.requires_python, ">=3.5");
    EXPECT_TRUE(wheel.has_core_metadata);
    EXPECT_EQ(wheel.core_metadata_sha256,
              "b4b6cd6e4d6e6e0e5c4d5c8b1c1bd3c0d37f6c8f0b0a6e7e9e2e1d1b1a1a1a1a");
    EXPECT_FALSE(wheel.yanked);
    EXPECT_FALSE(wheel.size);
    EXPECT_EQ(page.files[1].filename, "idna-3.6.tar.gz");
    EXPECT_FALSE(page.files[1].has_core_metadata);
    EXPECT_EQ(page.files[2].yanked, "");
    EXPECT_EQ(page.files[3].yanked, "broken \"wheel\" & more");
    EXPECT_EQ(page.files[3].requires_python, ">=2.7, !=3.0.*, <4");
}

// A mirror such as TUNA: the same page under another root, relative links, old attribute only,
// single quotes and unquoted attributes, upper-case tags.
const char* const tuna_html =
    R"(<html><head><title>Links for six</title></head><body><h1>Links for six</h1>
<A HREF='../../packages/71/six-1.16.0-py2.py3-none-any.whl#sha256=8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254' data-requires-python=">=2.7, !=3.0.*, !=3.1.*, !=3.2.*" data-dist-info-metadata=true>six-1.16.0-py2.py3-none-any.whl</A><br/>
<a href=../../packages/71/six-1.15.0-py2.py3-none-any.whl#md5=0123456789abcdef0123456789abcdef >six-1.15.0-py2.py3-none-any.whl</a>
<a>no href</a> <a href="">empty</a>
</body></html>)";

TEST(HtmlPage, TunaLike) {
    auto page = parse_html_page(tuna_html, "https://pypi.tuna.tsinghua.edu.cn/simple/six/");
    ASSERT_EQ(page.files.size(), 2u);
    EXPECT_EQ(page.files[0].url,
              "https://pypi.tuna.tsinghua.edu.cn/packages/71/six-1.16.0-py2.py3-none-any.whl");
    EXPECT_EQ(page.files[0].requires_python, ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*");
    EXPECT_TRUE(page.files[0].has_core_metadata);
    EXPECT_FALSE(page.files[0].core_metadata_sha256);
    EXPECT_EQ(page.files[1].filename, "six-1.15.0-py2.py3-none-any.whl");
    EXPECT_FALSE(page.files[1].sha256());
    EXPECT_EQ(page.files[1].hashes.at("md5"), "0123456789abcdef0123456789abcdef");
}

// download.pytorch.org/whl/cu124/torch/: `+` percent-encoded, hrefs rooted at the server.
const char* const pytorch_html = R"(<!DOCTYPE html>
<html>
  <body>
    <h1>Links for torch</h1>
    <a href="/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl#sha256=7F2FEDA5BF5DD3AAC1C8E8C2B2E2A9C1A4C2B1E6E97B84B1A7D1C4E7B4C0A6F5" data-dist-info-metadata="sha256=0d1b"  data-core-metadata="sha256=0d1b" >torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl</a><br/>
    <a href="/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-win_amd64.whl#sha256=00">torch-2.5.1+cu124-cp312-cp312-win_amd64.whl</a><br/>
  </body>
</html>)";

TEST(HtmlPage, PytorchLike) {
    auto page = parse_html_page(pytorch_html, "https://download.pytorch.org/whl/cu124/torch/");
    ASSERT_EQ(page.files.size(), 2u);
    EXPECT_EQ(page.files[0].filename, "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl");
    EXPECT_EQ(page.files[0].url,
              "https://download.pytorch.org/whl/cu124/"
              "torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl");
    EXPECT_EQ(page.files[0].core_metadata_sha256, "0d1b");
    EXPECT_EQ(page.files[1].filename, "torch-2.5.1+cu124-cp312-cp312-win_amd64.whl");
}

TEST(HtmlPage, BaseHrefAndComments) {
    auto page = parse_html_page(
        R"(<head><base href="https://cdn.example/files/"></head><!-- <a href="hidden.whl">x</a> -->
<a href="pkg-1.0-py3-none-any.whl">pkg</a>)",
        "https://example/simple/pkg/");
    ASSERT_EQ(page.files.size(), 1u);
    EXPECT_EQ(page.files[0].url, "https://cdn.example/files/pkg-1.0-py3-none-any.whl");
}

// pypi.org JSON (PEP 691 v1.1 with PEP 700 size).
const char* const pypi_json = R"({
  "meta": {"api-version": "1.1", "_last-serial": 21361574},
  "name": "idna",
  "versions": ["2.0", "3.6"],
  "files": [
    {"filename": "idna-3.6-py3-none-any.whl",
     "url": "https://files.pythonhosted.org/packages/a4/idna-3.6-py3-none-any.whl",
     "hashes": {"sha256": "C05567E9"}, "requires-python": ">=3.5",
     "core-metadata": {"sha256": "B4B6"}, "dist-info-metadata": {"sha256": "B4B6"},
     "size": 61567, "upload-time": "2023-11-25T15:40:52.604059Z", "yanked": false},
    {"filename": "idna-2.0-py2.py3-none-any.whl", "url": "../../packages/x/idna-2.0-py2.py3-none-any.whl",
     "hashes": {}, "requires-python": null, "core-metadata": false, "yanked": "bad release", "size": 10},
    {"filename": "idna-2.1-py2.py3-none-any.whl", "url": "idna-2.1-py2.py3-none-any.whl",
     "hashes": {"sha256": "bb"}, "dist-info-metadata": true, "yanked": true},
    {"filename": "idna-2.2.tar.gz", "url": "https://f/idna-2.2.tar.gz", "hashes": {"sha256": "cc"},
     "data-dist-info-metadata": {"sha256": "dd"}}
  ]
})";

TEST(JsonPage, PypiLike) {
    auto page = parse_json_page(pypi_json, "https://pypi.org/simple/idna/");
    EXPECT_EQ(page.name, "idna");
    ASSERT_EQ(page.files.size(), 4u);
    const auto& f0 = page.files[0];
    EXPECT_EQ(f0.sha256(), "c05567e9");
    EXPECT_EQ(f0.requires_python, ">=3.5");
    EXPECT_TRUE(f0.has_core_metadata);
    EXPECT_EQ(f0.core_metadata_sha256, "b4b6");
    EXPECT_EQ(f0.size, 61567u);
    EXPECT_FALSE(f0.yanked);
    const auto& f1 = page.files[1];
    EXPECT_EQ(f1.url, "https://pypi.org/packages/x/idna-2.0-py2.py3-none-any.whl");
    EXPECT_FALSE(f1.requires_python);
    EXPECT_FALSE(f1.has_core_metadata);
    EXPECT_EQ(f1.yanked, "bad release");
    EXPECT_EQ(page.files[2].url, "https://pypi.org/simple/idna/idna-2.1-py2.py3-none-any.whl");
    EXPECT_TRUE(page.files[2].has_core_metadata);
    EXPECT_FALSE(page.files[2].core_metadata_sha256);
    EXPECT_EQ(page.files[2].yanked, "");
    EXPECT_EQ(page.files[3].core_metadata_sha256, "dd");
}

TEST(JsonPage, Errors) {
    auto message = [](std::string_view body) {
        try {
            parse_json_page(body, "https://user:pw@idx/simple/x/");
        } catch (const Error& e) {
            return e.chain().front();
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(message("{nope"),
              "the PEP 691 page https://idx/simple/x/ is invalid: not JSON ("
              "The JSON document has an improper structure: missing or superfluous commas, "
              "braces, missing keys, etc.)");
    EXPECT_EQ(message(R"({"meta": {"api-version": "2.0"}, "files": []})"),
              "the PEP 691 page https://idx/simple/x/ is invalid: api-version `2.0` is not "
              "supported (airlock reads 1.x)");
    EXPECT_EQ(message(R"({"meta": {"api-version": "1.0"}})"),
              "the PEP 691 page https://idx/simple/x/ is invalid: it has no `files` array");
}

TEST(ProjectPage, ChoosesTheParserByContentType) {
    EXPECT_EQ(
        parse_project_page(pypi_json, "application/vnd.pypi.simple.v1+json", "https://p/s/idna/")
            .files.size(),
        4u);
    EXPECT_EQ(
        parse_project_page(pypi_html, "text/html; charset=utf-8", "https://p/s/idna/").files.size(),
        4u);
    EXPECT_EQ(parse_project_page(pypi_json, "", "https://p/s/idna/").files.size(), 4u);
}

TEST(HtmlEntities, Decodes) {
    EXPECT_EQ(decode_html_entities("&gt;=3.8,&lt;4&amp;&#33;&#x21;&nope;&"), ">=3.8,<4&!!&nope;&");
    EXPECT_EQ(decode_html_entities("&#233;"), "\xc3\xa9");
}

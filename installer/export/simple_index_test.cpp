#include "installer/export/simple_index.hpp"

#include <gtest/gtest.h>

namespace airlock::exporter {
namespace {

TEST(SimpleIndex, EscapesHtml) {
    EXPECT_EQ(html_escape(R"(>=3.8,<4 & "x" 'y')"),
              "&gt;=3.8,&lt;4 &amp; &quot;x&quot; &#39;y&#39;");
}

TEST(SimpleIndex, EscapesUrlPaths) {
    EXPECT_EQ(url_path_escape("torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl"),
              "torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl");
    EXPECT_EQ(url_path_escape("a b~c"), "a%20b~c");
}

TEST(SimpleIndex, ProjectPageGolden) {
    auto html = render_project_page(
        "torch",
        {{"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl", std::string(64, 'a'), ">=3.9,<3.14"},
         {"torch-2.5.1-py3-none-any.whl", std::string(64, 'b'), ""}});
    EXPECT_EQ(html,
              "<!DOCTYPE html>\n<html>\n  <head>\n"
              "    <meta name=\"pypi:repository-version\" content=\"1.0\">\n"
              "    <title>Links for torch</title>\n  </head>\n  <body>\n"
              "    <h1>Links for torch</h1>\n"
              "    <a href=\"../../files/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl#sha256=" +
                  std::string(64, 'a') +
                  "\" data-requires-python=\"&gt;=3.9,&lt;3.14\">"
                  "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl</a><br/>\n"
                  "    <a href=\"../../files/torch-2.5.1-py3-none-any.whl#sha256=" +
                  std::string(64, 'b') +
                  "\">torch-2.5.1-py3-none-any.whl</a><br/>\n"
                  "  </body>\n</html>\n");
}

TEST(SimpleIndex, RootIndexLinksEveryProject) {
    auto html = render_root_index({"numpy", "typing-extensions"});
    EXPECT_NE(html.find("<a href=\"numpy/\">numpy</a><br/>"), std::string::npos);
    EXPECT_NE(html.find("<a href=\"typing-extensions/\">typing-extensions</a><br/>"),
              std::string::npos);
}

}  // namespace
}  // namespace airlock::exporter

/// Simple-repository project pages (builder/index/project_page): PEP 503 HTML and PEP 691 JSON,
/// read from a fixed page URL (a mirror-style `https://…/simple/<project>/`). Properties: only
/// airlock::Error escapes; every file has a name and an absolute http(s) or file URL without a
/// fragment; hash algorithms and digests are lower case; both parsers agree with the sniffing
/// entry point.

#include "builder/index/project_page.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;

namespace {

constexpr std::string_view kPageUrl = "https://pypi.example.org/simple/demo/";

bool is_lower(std::string_view text) {
    for (char c : text) {
        if (c >= 'A' && c <= 'Z')
            return false;
    }
    return true;
}

void page_property(const std::optional<index::ProjectPage>& page) {
    if (!page)
        return;
    for (const auto& file : page->files) {
        check(!file.filename.empty(), "ProjectPage: a file without a name", file.url);
        check(file.url.starts_with("https://") || file.url.starts_with("http://") ||
                  file.url.starts_with("file://"),
              "ProjectPage: a file URL that is not http(s) or file", file.url);
        check(file.url.find('#') == std::string::npos, "ProjectPage: a URL keeps its fragment",
              file.url);
        for (const auto& [algorithm, digest] : file.hashes) {
            check(is_lower(algorithm) && is_lower(digest), "ProjectPage: a hash not lower case",
                  algorithm + "=" + digest);
        }
    }
}

std::string summary(const std::optional<index::ProjectPage>& page) {
    if (!page)
        return "refused";
    std::string out = page->name + "\n";
    for (const auto& file : page->files)
        out += file.filename + " " + file.url + "\n";
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    std::optional<index::ProjectPage> html, json, sniffed;
    accepted([&] { html = index::parse_html_page(text, kPageUrl); });
    accepted([&] { json = index::parse_json_page(text, kPageUrl); });
    accepted([&] { sniffed = index::parse_project_page(text, "", kPageUrl); });
    page_property(html);
    page_property(json);
    auto first = text.find_first_not_of(" \t\r\n");
    bool looks_json = first != std::string_view::npos && text[first] == '{';
    check(summary(sniffed) == summary(looks_json ? json : html),
          "parse_project_page disagrees with the parser it sniffed");
    accepted([&] { index::decode_html_entities(text); });
    return 0;
}

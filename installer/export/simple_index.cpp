#include "installer/export/simple_index.hpp"

namespace airlock::exporter {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string url_path_escape(std::string_view segment) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : segment) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

namespace {

std::string page(std::string_view title, const std::string& body) {
    return "<!DOCTYPE html>\n<html>\n  <head>\n"
           "    <meta name=\"pypi:repository-version\" content=\"1.0\">\n"
           "    <title>" +
           html_escape(title) + "</title>\n  </head>\n  <body>\n" + body + "  </body>\n</html>\n";
}

}  // namespace

std::string render_root_index(const std::vector<std::string>& normalized_names) {
    std::string body;
    for (const auto& name : normalized_names) {
        body += "    <a href=\"" + html_escape(url_path_escape(name)) + "/\">" + html_escape(name) +
                "</a><br/>\n";
    }
    return page("Simple index", body);
}

std::string render_project_page(std::string_view normalized_name,
                                const std::vector<IndexFile>& files,
                                std::string_view files_prefix) {
    std::string body = "    <h1>Links for " + html_escape(normalized_name) + "</h1>\n";
    for (const auto& f : files) {
        std::string href =
            std::string(files_prefix) + url_path_escape(f.filename) + "#sha256=" + f.sha256;
        body += "    <a href=\"" + html_escape(href) + "\"";
        if (!f.requires_python.empty())
            body += " data-requires-python=\"" + html_escape(f.requires_python) + "\"";
        body += ">" + html_escape(f.filename) + "</a><br/>\n";
    }
    return page("Links for " + std::string(normalized_name), body);
}

}  // namespace airlock::exporter

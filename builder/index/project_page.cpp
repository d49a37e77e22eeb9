#include "builder/index/project_page.hpp"

#include "builder/net/url.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/wheel/url_filename.hpp"

#include <simdjson.h>

#include <cctype>
#include <cstdlib>

namespace airlock::index {
namespace {

bool iequals_at(std::string_view text, std::size_t pos, std::string_view word) {
    if (pos + word.size() > text.size())
        return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i])
            return false;
    }
    return true;
}

std::size_t ifind(std::string_view text, std::string_view word, std::size_t from) {
    while (from < text.size()) {
        auto at = text.find(word[0], from);
        auto upper = text.find(static_cast<char>(std::toupper(word[0])), from);
        at = std::min(at, upper);
        if (at == std::string_view::npos)
            return at;
        if (iequals_at(text, at, word))
            return at;
        from = at + 1;
    }
    return std::string_view::npos;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string trim(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && is_space(text[b]))
        ++b;
    while (e > b && is_space(text[e - 1]))
        --e;
    return std::string(text.substr(b, e - b));
}

/// Attributes of a start tag beginning after its name; `pos` ends after the closing `>`.
std::map<std::string, std::string> parse_attributes(std::string_view html, std::size_t& pos) {
    std::map<std::string, std::string> attributes;
    while (pos < html.size()) {
        while (pos < html.size() && (is_space(html[pos]) || html[pos] == '/'))
            ++pos;
        if (pos >= html.size())
            break;
        if (html[pos] == '>') {
            ++pos;
            break;
        }
        std::size_t start = pos;
        while (pos < html.size() && !is_space(html[pos]) && html[pos] != '=' && html[pos] != '>' &&
               html[pos] != '/') {
            ++pos;
        }
        std::string name = ascii_lower(html.substr(start, pos - start));
        while (pos < html.size() && is_space(html[pos]))
            ++pos;
        std::string value;
        if (pos < html.size() && html[pos] == '=') {
            ++pos;
            while (pos < html.size() && is_space(html[pos]))
                ++pos;
            if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
                char q = html[pos++];
                auto end = html.find(q, pos);
                if (end == std::string_view::npos)
                    end = html.size();
                value = decode_html_entities(html.substr(pos, end - pos));
                pos = std::min(end + 1, html.size());
            } else {
                start = pos;
                while (pos < html.size() && !is_space(html[pos]) && html[pos] != '>')
                    ++pos;
                value = decode_html_entities(html.substr(start, pos - start));
            }
        }
        if (!name.empty())
            attributes.emplace(std::move(name), std::move(value));
    }
    return attributes;
}

/// `sha256=abc…` → {"sha256", "abc…"}; nullopt for anything else.
std::optional<std::pair<std::string, std::string>> hash_pair(std::string_view text) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 >= text.size())
        return std::nullopt;
    auto algorithm = ascii_lower(text.substr(0, eq));
    for (char c : algorithm) {
        if (!std::isalnum(static_cast<unsigned char>(c)))
            return std::nullopt;
    }
    auto digest = ascii_lower(text.substr(eq + 1));
    for (char c : digest) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
    }
    return std::pair{algorithm, digest};
}

/// `data-core-metadata` / JSON `core-metadata` given as text: "true" or "sha256=…".
void apply_core_metadata_text(DistFile& file, std::string_view value) {
    auto v = ascii_lower(trim(value));
    if (v == "false")
        return;
    file.has_core_metadata = true;
    if (auto hash = hash_pair(v); hash && hash->first == "sha256") {
        file.core_metadata_sha256 = hash->second;
    }
}

DistFile make_file(const net::Url& resolved) {
    DistFile file;
    std::string_view text = resolved.str();
    auto hash = text.find('#');
    auto url = text.substr(0, hash);
    auto fragment = hash == std::string_view::npos ? std::string_view() : text.substr(hash + 1);
    file.url = std::string(url);
    file.filename = wheel::filename_from_url(url);
    if (auto hash = hash_pair(fragment))
        file.hashes[hash->first] = hash->second;
    return file;
}

}  // namespace

std::optional<std::string> DistFile::sha256() const {
    auto it = hashes.find("sha256");
    if (it == hashes.end())
        return std::nullopt;
    return it->second;
}

std::string decode_html_entities(std::string_view text) {
    if (text.find('&') == std::string_view::npos)
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '&') {
            out += text[i++];
            continue;
        }
        auto semi = text.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += text[i++];
            continue;
        }
        auto name = text.substr(i + 1, semi - i - 1);
        std::optional<unsigned long> code;
        if (name == "amp")
            code = '&';
        else if (name == "lt")
            code = '<';
        else if (name == "gt")
            code = '>';
        else if (name == "quot")
            code = '"';
        else if (name == "apos")
            code = '\'';
        else if (name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x' || name[1] == 'X';
            std::string digits(name.substr(hex ? 2 : 1));
            char* end = nullptr;
            unsigned long value = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
            if (!digits.empty() && end && *end == 0 && value > 0 && value < 0x110000)
                code = value;
        }
        if (!code) {
            out += text[i++];
            continue;
        }
        unsigned long c = *code;  // UTF-8 encode
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
        i = semi + 1;
    }
    return out;
}

ProjectPage parse_html_page(std::string_view html, std::string_view page_url) {
    ProjectPage page;
    const auto page_base = net::Url::parse(page_url);
    page.url = page_base.str();
    auto base = page_base;
    std::size_t pos = 0;
    while (pos < html.size()) {
        auto lt = html.find('<', pos);
        if (lt == std::string_view::npos)
            break;
        if (html.compare(lt, 4, "<!--") == 0) {
            auto end = html.find("-->", lt + 4);
            pos = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        bool is_anchor = iequals_at(html, lt + 1, "a") && lt + 2 < html.size() &&
                         (is_space(html[lt + 2]) || html[lt + 2] == '>');
        bool is_base = iequals_at(html, lt + 1, "base") && lt + 5 < html.size() &&
                       (is_space(html[lt + 5]) || html[lt + 5] == '>' || html[lt + 5] == '/');
        if (!is_anchor && !is_base) {
            pos = lt + 1;
            continue;
        }
        pos = lt + (is_anchor ? 2 : 5);
        auto attributes = parse_attributes(html, pos);
        auto href = attributes.find("href");
        if (is_base) {
            if (href != attributes.end() && !href->second.empty()) {
                if (auto resolved = page_base.resolve(trim(href->second)))
                    base = std::move(*resolved);
            }
            continue;
        }
        auto close = ifind(html, "</a", pos);
        std::string text = trim(decode_html_entities(
            html.substr(pos, close == std::string_view::npos ? 0 : close - pos)));
        if (close != std::string_view::npos)
            pos = close + 3;
        if (href == attributes.end() || trim(href->second).empty())
            continue;
        auto resolved = base.resolve(trim(href->second));
        if (!resolved)
            continue;  // not an http(s) or file URL: nothing airlock could download
        DistFile file = make_file(*resolved);
        if (file.filename.empty())
            file.filename = text;
        if (file.filename.empty())
            continue;
        if (auto it = attributes.find("data-requires-python");
            it != attributes.end() && !trim(it->second).empty()) {
            file.requires_python = trim(it->second);
        }
        if (auto it = attributes.find("data-yanked"); it != attributes.end()) {
            file.yanked = it->second;
        }
        if (auto it = attributes.find("data-core-metadata"); it != attributes.end()) {
            apply_core_metadata_text(file, it->second.empty() ? "true" : it->second);
        } else if (auto old = attributes.find("data-dist-info-metadata"); old != attributes.end()) {
            apply_core_metadata_text(file, old->second.empty() ? "true" : old->second);
        }
        page.files.push_back(std::move(file));
    }
    return page;
}

ProjectPage parse_json_page(std::string_view json, std::string_view page_url) {
    auto invalid = [&](const std::string& what) {
        return Error("the PEP 691 page " + net::redact(page_url) + " is invalid: " + what,
                     Exit::user);
    };
    thread_local simdjson::dom::parser parser;
    simdjson::padded_string padded(json.data(), json.size());
    simdjson::dom::element doc;
    if (auto error = parser.parse(padded).get(doc)) {
        throw invalid(std::string("not JSON (") + simdjson::error_message(error) + ")");
    }
    ProjectPage page;
    const auto base = net::Url::parse(page_url);
    page.url = base.str();
    std::string_view api_version;
    if (!doc["meta"]["api-version"].get(api_version) && !api_version.starts_with("1.") &&
        api_version != "1") {
        throw invalid("api-version " + quote(api_version) +
                      " is not supported (airlock reads 1.x)");
    }
    std::string_view name;
    if (!doc["name"].get(name))
        page.name = std::string(name);
    simdjson::dom::array files;
    if (doc["files"].get(files))
        throw invalid("it has no `files` array");
    for (simdjson::dom::element entry : files) {
        std::string_view filename, url;
        if (entry["url"].get(url))
            throw invalid("a file has no `url`");
        auto resolved = base.resolve(url);
        if (!resolved)
            throw invalid("the file URL " + quote(net::redact(url)) +
                          " is not an http(s) or file URL");
        DistFile file = make_file(*resolved);
        if (!entry["filename"].get(filename))
            file.filename = std::string(filename);
        if (file.filename.empty())
            throw invalid("a file has no `filename`");
        simdjson::dom::object hashes;
        if (!entry["hashes"].get(hashes)) {
            for (auto [algorithm, digest] : hashes) {
                std::string_view hex;
                if (!digest.get(hex))
                    file.hashes[ascii_lower(algorithm)] = ascii_lower(hex);
            }
        }
        std::string_view requires_python;
        if (!entry["requires-python"].get(requires_python) && !trim(requires_python).empty()) {
            file.requires_python = trim(requires_python);
        }
        simdjson::dom::element yanked;
        if (!entry["yanked"].get(yanked)) {
            bool flag = false;
            std::string_view reason;
            if (!yanked.get(flag)) {
                if (flag)
                    file.yanked = "";
            } else if (!yanked.get(reason)) {
                file.yanked = std::string(reason);
            }
        }
        for (const char* key : {"core-metadata", "dist-info-metadata", "data-dist-info-metadata"}) {
            simdjson::dom::element value;
            if (entry[key].get(value))
                continue;
            bool flag = false;
            simdjson::dom::object dict;
            std::string_view text;
            if (!value.get(flag)) {
                file.has_core_metadata = flag;
            } else if (!value.get(dict)) {
                file.has_core_metadata = true;
                std::string_view hex;
                if (!dict["sha256"].get(hex))
                    file.core_metadata_sha256 = ascii_lower(hex);
            } else if (!value.get(text)) {
                apply_core_metadata_text(file, text);
            }
            break;  // the first key present wins (core-metadata is the PEP 714 name)
        }
        std::uint64_t size = 0;
        if (!entry["size"].get(size))
            file.size = size;
        page.files.push_back(std::move(file));
    }
    return page;
}

ProjectPage parse_project_page(std::string_view body, std::string_view content_type,
                               std::string_view page_url) {
    auto type = ascii_lower(content_type);
    if (type.find("json") != std::string::npos)
        return parse_json_page(body, page_url);
    if (type.find("html") != std::string::npos)
        return parse_html_page(body, page_url);
    auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body[first] == '{')
        return parse_json_page(body, page_url);
    return parse_html_page(body, page_url);
}

}  // namespace airlock::index

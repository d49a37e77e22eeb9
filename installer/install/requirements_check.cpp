#include "installer/install/requirements_check.hpp"

#include "core/base/error.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace airlock::install {
namespace {

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

bool version_char(char c) {
    return name_char(c) || c == '+' || c == '!';
}

bool is_hex64(std::string_view s) {
    if (s.size() != 64)
        return false;
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c)) ||
            std::isupper(static_cast<unsigned char>(c)))
            return false;
    return true;
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

/// `name==version --hash=sha256:X...`, as airlock-build writes it.
bool is_pinned_and_hashed(std::string_view logical) {
    auto w = words(logical);
    if (w.size() < 2)
        return false;
    auto pin = w[0];
    auto eq = pin.find("==");
    if (eq == std::string_view::npos || eq == 0 || eq + 2 >= pin.size())
        return false;
    auto name = pin.substr(0, eq);
    auto version = pin.substr(eq + 2);
    if (!std::isalnum(static_cast<unsigned char>(name.front())))
        return false;
    for (char c : name)
        if (!name_char(c))
            return false;
    for (char c : version)
        if (!version_char(c))
            return false;
    for (std::size_t i = 1; i < w.size(); ++i) {
        constexpr std::string_view prefix = "--hash=sha256:";
        if (!w[i].starts_with(prefix) || !is_hex64(w[i].substr(prefix.size())))
            return false;
    }
    return true;
}

}  // namespace

void check_requirements_text(std::string_view text, const std::string& name) {
    std::size_t line_no = 0;
    std::size_t pos = 0;
    std::string logical;
    std::size_t logical_line = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (logical.empty()) {
            logical_line = line_no;
            auto w = words(line);
            if (w.empty() || w.front().starts_with("#"))
                continue;
        }
        bool continued = !line.empty() && line.back() == '\\';
        if (continued)
            line.remove_suffix(1);
        logical += std::string(line) + " ";
        if (continued && pos < text.size())
            continue;
        if (!is_pinned_and_hashed(logical)) {
            std::string shown = logical;
            while (!shown.empty() && shown.back() == ' ')
                shown.pop_back();
            if (shown.size() > 200)
                shown = shown.substr(0, 200) + "...";
            throw Error(name + ":" + std::to_string(logical_line) + ": " + quote(shown) +
                        " is not a pinned, hashed requirement (`name==version "
                        "--hash=sha256:<64 hex>`)")
                .with_hint(
                    "airlock-build writes nothing else there; pip options, URLs, paths and `-r` "
                    "would let pip reach beyond the bundle's verified wheels. Rebuild the bundle "
                    "with airlock-build");
        }
        logical.clear();
    }
}

void check_requirements_file(const std::string& path, const std::string& name) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read " + quote(path));
    std::ostringstream text;
    text << in.rdbuf();
    check_requirements_text(text.str(), name);
}

}  // namespace airlock::install

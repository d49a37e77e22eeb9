#include "builder/fetch/download_list.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"
#include "core/digest/sha256.hpp"

#include <cctype>

namespace airlock::fetch {
namespace {

std::string filename_of(std::string_view url) {
    auto end = url.find_first_of("?#");
    if (end != std::string_view::npos)
        url = url.substr(0, end);
    auto scheme = url.find("://");
    auto path_start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (path_start == std::string_view::npos)
        return {};
    auto slash = url.rfind('/');
    return std::string(url.substr(slash + 1));
}

}  // namespace

std::vector<FetchItem> parse_download_list(std::string_view text, const std::string& file) {
    std::vector<FetchItem> items;
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto eol = text.find('\n', pos);
        auto line =
            text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        ++line_no;
        pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        auto fail = [&](std::size_t column, std::size_t span, const std::string& message) {
            throw Error(source_excerpt({file, line_no, column + 1}, line, message, span));
        };
        FetchItem item;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
                ++i;
            if (i >= line.size() || line[i] == '#')
                break;
            auto start = i;
            while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
                ++i;
            auto word = line.substr(start, i - start);
            if (word.rfind("sha256=", 0) == 0) {
                auto hex = word.substr(7);
                if (!digest::is_sha256_hex(hex))
                    fail(start + 7, hex.size() ? hex.size() : 1, "expected 64 hex digits");
                item.sha256 = ascii_lower(hex);
            } else if (word.rfind("size=", 0) == 0) {
                auto digits = word.substr(5);
                std::uint64_t value = 0;
                if (digits.empty() || digits.size() > 19)
                    fail(start + 5, digits.size() ? digits.size() : 1, "expected a byte count");
                for (char c : digits) {
                    if (c < '0' || c > '9')
                        fail(start + 5, digits.size(), "expected a byte count");
                    value = value * 10 + static_cast<std::uint64_t>(c - '0');
                }
                item.size = value;
            } else if (word.find("://") != std::string_view::npos) {
                item.urls.emplace_back(word);
            } else {
                fail(start, word.size(), "expected a URL, sha256=HEX or size=N");
            }
        }
        if (item.urls.empty()) {
            if (!item.sha256.empty() || item.size)
                fail(0, line.size(), "no URL on this line");
            continue;
        }
        item.filename = filename_of(item.urls.front());
        if (item.filename.empty() || item.filename == "." || item.filename == "..") {
            fail(0, item.urls.front().size(), "the URL does not end in a file name");
        }
        items.push_back(std::move(item));
    }
    return items;
}

}  // namespace airlock::fetch

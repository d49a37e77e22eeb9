#include "core/wheel/metadata.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"

#include <utility>

namespace airlock::wheel {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/// The unfolded headers up to the first blank line, as (name, value) pairs in file order.
std::vector<std::pair<std::string, std::string>> read_headers(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);  // UTF-8 byte order mark
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            break;  // the body (description) follows
        if (line.front() == ' ' || line.front() == '\t') {
            // RFC 822 folding: the line break goes, the leading whitespace stays.
            if (!headers.empty())
                headers.back().second += line;
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            break;
        headers.emplace_back(std::string(ascii_trim(line.substr(0, colon), " \t")),
                             std::string(line.substr(colon + 1)));
    }
    for (auto& header : headers)
        header.second = std::string(ascii_trim(header.second, " \t"));
    return headers;
}

}  // namespace

CoreMetadata CoreMetadata::parse(std::string_view text, std::string_view origin) {
    CoreMetadata out;
    bool has_name = false;
    bool has_version = false;
    for (auto& [key, value] : read_headers(text)) {
        if (iequals(key, "Metadata-Version")) {
            out.metadata_version = std::move(value);
        } else if (iequals(key, "Name")) {
            if (!has_name)
                out.name = std::move(value);
            has_name = true;
        } else if (iequals(key, "Version")) {
            if (!has_version)
                out.version = std::move(value);
            has_version = true;
        } else if (iequals(key, "Requires-Dist")) {
            out.requires_dist.push_back(std::move(value));
        } else if (iequals(key, "Requires-Python")) {
            out.requires_python = std::move(value);
        } else if (iequals(key, "Provides-Extra")) {
            out.provides_extra.push_back(std::move(value));
        }
    }
    for (auto [field, value] : {std::pair{"Name", &out.name}, {"Version", &out.version}}) {
        if (value->empty()) {
            throw Error("the core metadata of " + quote(origin) + " has no " + quote(field) +
                        " field")
                .with_hint(
                    "the file is not a METADATA/PKG-INFO file, or it is truncated; check the "
                    "index serves the right `.metadata` file or re-download the distribution");
        }
    }
    return out;
}

}  // namespace airlock::wheel

#include "builder/net/response_head.hpp"

#include "builder/net/retry_policy.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/ascii_space.hpp"

#include <cctype>

namespace airlock::net {
namespace {

/// Digits only, at most 19 of them (no overflow); empty otherwise.
std::optional<std::uint64_t> parse_u64(std::string_view s) {
    s = ascii_trim(s);
    if (s.empty() || s.size() > 19)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

}  // namespace

void parse_header_line(std::string_view line, ResponseHead& head, std::int64_t now_unix) {
    line = ascii_trim(line);
    if (line.rfind("HTTP/", 0) == 0) {
        head = ResponseHead{};
        auto space = line.find(' ');
        if (space != std::string_view::npos)
            head.status = static_cast<long>(parse_u64(line.substr(space + 1, 3)).value_or(0));
        return;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return;
    auto name = ascii_lower(ascii_trim(line.substr(0, colon)));
    auto value = ascii_trim(line.substr(colon + 1));
    auto [field, inserted] = head.fields.emplace(name, std::string(value));
    if (!inserted)
        field->second += ", " + std::string(value);
    if (name == "content-length") {
        head.content_length = parse_u64(value);
    } else if (name == "content-range") {
        // bytes first-last/total; anything else (`*/total`, other units) leaves the fields empty
        head.range_first.reset();
        head.range_last.reset();
        head.range_total.reset();
        auto v = value;
        if (v.rfind("bytes ", 0) != 0)
            return;
        v.remove_prefix(6);
        auto dash = v.find('-');
        auto slash = v.find('/');
        if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash)
            return;
        auto first = parse_u64(v.substr(0, dash));
        auto last = parse_u64(v.substr(dash + 1, slash - dash - 1));
        auto total = parse_u64(v.substr(slash + 1));
        if (first && last && total) {
            head.range_first = first;
            head.range_last = last;
            head.range_total = total;
        }
    } else if (name == "accept-ranges") {
        head.accept_ranges = ascii_lower(value).find("bytes") != std::string::npos;
    } else if (name == "etag") {
        if (value.rfind("W/", 0) != 0)
            head.etag = std::string(value);
    } else if (name == "last-modified") {
        head.last_modified = std::string(value);
    } else if (name == "retry-after") {
        head.retry_after = parse_retry_after(value, now_unix);
    } else if (name == "location") {
        head.location = std::string(value);
    }
}

}  // namespace airlock::net

#pragma once
/// The parts of an HTTP/1.1 response head (RFC 9110/9112) that transfers act on: status,
/// lengths, Content-Range (§14.4), validators (§8.8) and Retry-After (§10.2.3).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::net {

/// The final response's status line and the headers the fetch layer needs.
struct ResponseHead {
    long status = 0;
    std::optional<std::uint64_t> content_length;
    /// `Content-Range: bytes first-last/total` of a 206.
    std::optional<std::uint64_t> range_first, range_last, range_total;
    bool accept_ranges = false;  ///< `Accept-Ranges: bytes`
    std::string etag;            ///< strong validators only (weak ones cannot guard a range)
    std::string last_modified;
    std::optional<std::chrono::seconds> retry_after;
    std::string location;  ///< of a 3xx
    /// Every header as sent, by lowercased name; repeated ones joined with ", " (the page
    /// cache keeps them: Content-Type, Cache-Control, validators).
    std::map<std::string, std::string> fields;
};

/// Records one header line into `head`; a status line starts a new response (redirects,
/// 100 Continue). `now_unix` turns an HTTP-date Retry-After into seconds.
void parse_header_line(std::string_view line, ResponseHead& head, std::int64_t now_unix);

}  // namespace airlock::net

#include "builder/net/retry_policy.hpp"

#include "core/base/ascii_space.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace airlock::net {
namespace {

/// Parses all of `text` with strptime format `format` (C locale names); empty on any mismatch.
std::optional<std::int64_t> parse_with(const std::string& text, const char* format) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end == nullptr || *end != '\0')
        return std::nullopt;
    auto t = ::timegm(&tm);
    if (t == static_cast<std::time_t>(-1))
        return std::nullopt;
    return static_cast<std::int64_t>(t);
}

}  // namespace

StatusClass classify_status(long status) {
    if (status == 206)
        return StatusClass::partial;
    if (status >= 200 && status < 300)
        return StatusClass::success;
    if (status == 304)
        return StatusClass::not_modified;
    if (status >= 300 && status < 400)
        return StatusClass::redirect;
    if (status == 429 || status == 503)
        return StatusClass::busy;
    if (status == 416)
        return StatusClass::range_refused;
    if (status == 408)
        return StatusClass::transient;
    if (status >= 400 && status < 500)
        return StatusClass::gone;
    if (status >= 500 && status < 600)
        return StatusClass::transient;
    return StatusClass::invalid;
}

std::optional<std::int64_t> parse_http_date(std::string_view value) {
    std::string text(ascii_trim(value));
    if (text.size() < 20 || text.size() > 40)
        return std::nullopt;
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"; RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT";
    // asctime "Sun Nov  6 08:49:37 1994".
    for (const char* format :
         {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
        if (auto t = parse_with(text, format))
            return t;
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix) {
    auto v = ascii_trim(value);
    if (v.empty())
        return std::nullopt;
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // delay-seconds; anything past ten digits is absurd, not a reason to overflow.
        if (v.size() > 10)
            return std::chrono::seconds(9'999'999'999LL);
        std::int64_t n = 0;
        for (char c : v)
            n = n * 10 + (c - '0');
        return std::chrono::seconds(n);
    }
    auto when = parse_http_date(v);
    if (!when)
        return std::nullopt;
    return std::chrono::seconds(std::max<std::int64_t>(0, *when - now_unix));
}

RetryDecision honour_retry_after(const RetryPolicy& policy, std::chrono::seconds retry_after) {
    RetryDecision d;
    if (retry_after > policy.max_retry_after) {
        d.reason = "the server asked to wait " + std::to_string(retry_after.count()) +
                   " s (Retry-After), more than the " +
                   std::to_string(policy.max_retry_after.count()) + " s airlock waits";
        return d;
    }
    d.retry = true;
    d.delay = std::chrono::duration_cast<std::chrono::milliseconds>(retry_after);
    return d;
}

RetryDecision decide_retry(const RetryPolicy& policy, int attempts,
                           std::optional<std::chrono::seconds> retry_after, double jitter) {
    RetryDecision d;
    if (attempts > policy.retries) {
        d.reason = "gave up after " + std::to_string(attempts) +
                   (attempts == 1 ? " attempt" : " attempts");
        return d;
    }
    if (retry_after)
        return honour_retry_after(policy, *retry_after);
    const int doublings = std::clamp(attempts - 1, 0, 20);
    auto base = std::min<std::int64_t>(policy.max_backoff.count(),
                                       policy.base.count() * (std::int64_t{1} << doublings));
    jitter = std::clamp(jitter, 0.0, 1.0);
    d.retry = true;
    d.delay = std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(base) * (0.5 + 0.5 * jitter)));
    return d;
}

}  // namespace airlock::net

#pragma once
/// When to ask a server again and how long to wait first (RFC 9110 §10.2.3 Retry-After,
/// §15 status codes): the one retry policy of index pages, metadata and files. Pure functions;
/// the engines only call them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::net {

/// The bounds every transfer keeps (README "Guarantees" states them).
struct RetryPolicy {
    /// Attempts after the first, per segment of a file or per URL of a page.
    int retries = 6;
    /// Backoff without Retry-After: base, doubling per attempt, at most `max_backoff`, each
    /// multiplied by a jitter in [0.5, 1].
    std::chrono::milliseconds base{250};
    std::chrono::milliseconds max_backoff{30'000};
    /// A Retry-After up to this is honoured; beyond it the server is treated as unavailable
    /// (the next mirror, else a failure naming the value), never slept on.
    std::chrono::seconds max_retry_after{60};
};

/// Response headers larger than this (all lines of one response together) abort the transfer
/// with a message naming the server's misbehaviour (libcurl's own limit says "Out of memory").
inline constexpr std::size_t max_response_header_bytes = 64 * 1024;

/// What a final status means for the request that got it.
enum class StatusClass {
    success,        ///< 2xx other than 206
    partial,        ///< 206
    not_modified,   ///< 304 (a conditional GET)
    busy,           ///< 429, 503: the server limits us; back off, maybe fewer connections
    transient,      ///< 408, 500, 502, 504 and other 5xx: ask again after a backoff
    range_refused,  ///< 416
    redirect,       ///< a 3xx that was not followed (no Location, or refused)
    gone,           ///< other 4xx: this URL will not get better; the next mirror
    invalid,        ///< 0, 1xx or > 599
};
StatusClass classify_status(long status);

/// Retry-After as delay-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime), relative to
/// `now_unix`; a date in the past is 0 s. Empty when the value is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix);

/// The HTTP-date forms of RFC 9110 §5.6.7 as Unix seconds; empty when not a date.
std::optional<std::int64_t> parse_http_date(std::string_view value);

struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};  ///< when `retry`
    std::string reason;                  ///< when not: why (appended to the failure)
};

/// After `attempts` failed attempts (1 for the first failure), with the server's Retry-After
/// (if any) and a uniform `jitter` in [0, 1]: wait and retry, or give up and say why.
RetryDecision decide_retry(const RetryPolicy& policy, int attempts,
                           std::optional<std::chrono::seconds> retry_after, double jitter);

/// A Retry-After within the policy's cap (the delay to wait), or the reason it is refused.
RetryDecision honour_retry_after(const RetryPolicy& policy, std::chrono::seconds retry_after);

}  // namespace airlock::net

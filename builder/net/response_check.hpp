#pragma once
/// Does a response answer the request it was given (RFC 9110 §14 ranges, §13.1.5 If-Range,
/// §8.6 Content-Length)? A server that contradicts itself is named, never spliced from.

#include "builder/net/response_head.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace airlock::net {

/// What was asked: `Range: bytes=first-[last]` when `ranged`, with `If-Range` when not empty.
struct AskedRange {
    bool ranged = false;
    std::uint64_t first = 0;
    std::optional<std::uint64_t> last;  ///< inclusive
    std::string if_range;
};

/// What earlier responses for the same file established.
struct KnownFile {
    std::optional<std::uint64_t> size;
    std::string validator;  ///< strong ETag, else Last-Modified; "" when none yet
};

enum class RangeVerdict {
    accept,         ///< a 206 that is exactly (a prefix of) what was asked
    whole,          ///< a 200 from byte 0: the whole file, as asked (or as good)
    changed,        ///< a 200 to If-Range with a new validator: the file changed
    contradiction,  ///< the server contradicts the request or itself: see `problem`
};

struct RangeCheck {
    RangeVerdict verdict = RangeVerdict::accept;
    std::string problem;  ///< names the misbehaviour, for `changed` and `contradiction`
};

/// The validator a response carries: its strong ETag, else its Last-Modified.
std::string validator_of(const ResponseHead& head);

/// Checks a 2xx response `head` against what was asked and what is known of the file.
RangeCheck check_response(const AskedRange& asked, const ResponseHead& head,
                          const KnownFile& known);

}  // namespace airlock::net

#pragma once
/// A byte range of an HTTP request (RFC 9110 §14.1.2): `first-last`, `first-` (to the end) or a
/// suffix `-N` (the last N bytes). The one range type of pages, metadata and files.

#include <cstdint>
#include <optional>
#include <string>

namespace airlock::net {

struct ByteRange {
    std::uint64_t first = 0;
    std::optional<std::uint64_t> last;  ///< inclusive; empty: to the end of the file
    std::uint64_t suffix = 0;  ///< when non-zero: the last `suffix` bytes; first/last unused

    /// From `first` to the end.
    static ByteRange from(std::uint64_t first) { return {first, std::nullopt, 0}; }
    /// `first` to `last`, inclusive.
    static ByteRange span(std::uint64_t first, std::uint64_t last) { return {first, last, 0}; }
    /// The last `length` bytes (`length` > 0).
    static ByteRange tail(std::uint64_t length) { return {0, std::nullopt, length}; }

    /// The range-spec: `10-19`, `10-` or `-100`, as the Range header (after `bytes=`) and
    /// libcurl's CURLOPT_RANGE (file: URLs) take it.
    std::string spec() const;
};

}  // namespace airlock::net

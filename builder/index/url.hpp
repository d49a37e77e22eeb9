#pragma once
/// URL reference resolution (RFC 3986 §5.2) and percent-decoding, as index pages need them.

#include <string>
#include <string_view>

namespace airlock::index {

/// `reference` resolved against the absolute `base` (fragments kept on the reference).
std::string resolve_url(std::string_view base, std::string_view reference);

/// The URL without its `#fragment`, and the fragment (without `#`).
std::pair<std::string_view, std::string_view> split_fragment(std::string_view url);

/// `%2B` → `+`; invalid escapes are kept as written.
std::string percent_decode(std::string_view text);

/// The last path segment of a URL (no query/fragment), percent-decoded.
std::string filename_from_url(std::string_view url);

}  // namespace airlock::index

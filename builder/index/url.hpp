#pragma once
/// URL reference resolution (RFC 3986 §5.2), as index pages need it (hrefs relative to the page).
/// Percent-decoding of file names lives in core/wheel/url_filename.hpp.

#include <string>
#include <string_view>
#include <utility>

namespace airlock::index {

/// `reference` resolved against the absolute `base` (fragments kept on the reference).
std::string resolve_url(std::string_view base, std::string_view reference);

/// The URL without its `#fragment`, and the fragment (without `#`).
std::pair<std::string_view, std::string_view> split_fragment(std::string_view url);

}  // namespace airlock::index

#pragma once
/// File names from index links (PEP 503 / PEP 691 `url`s): the last path segment, without query
/// or fragment, percent-decoded (RFC 3986) — download.pytorch.org links `torch-2.5.1%2Bcu124-…`.

#include <string>
#include <string_view>

namespace airlock::wheel {

/// Decodes every `%XX` (hex, either case); a `%` not followed by two hex digits is kept as is.
/// `+` is left alone: it means `+` in a URL path.
std::string percent_decode(std::string_view text);

/// The percent-decoded last path segment of `url`, after dropping `#fragment` and `?query`
/// ("https://h/whl/cu124/torch-2.5.1%2Bcu124-cp312-cp312-linux_x86_64.whl#sha256=…" →
/// "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl"). Empty when the path ends with `/`.
std::string filename_from_url(std::string_view url);

}  // namespace airlock::wheel

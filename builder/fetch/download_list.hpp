#pragma once
/// The plain-text list `airlock-build download` reads: one file per line,
/// `URL [MIRROR_URL…] [sha256=HEX] [size=N]`; `#` starts a comment.

#include "builder/fetch/fetch.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace airlock::fetch {

/// Parses `text` (read from `file`, used in messages). The file name of each item is the last
/// path segment of its first URL (query and fragment removed, %-escapes kept). Throws Error with
/// `file:line:col` and a caret on malformed lines.
std::vector<FetchItem> parse_download_list(std::string_view text, const std::string& file);

}  // namespace airlock::fetch

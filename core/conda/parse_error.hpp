#pragma once
/// How core/conda reports malformed text (versions, specs, names, file names): the fact, then
/// the input quoted with a caret under the offending span. Inputs come from channels, so
/// control characters and non-ASCII bytes are shown escaped (`\x1b`), never raw.

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::conda {

/// `text` with every byte outside printable ASCII written as `\xNN` (a backslash as `\\`).
std::string printable(std::string_view text);

/// Throws airlock::Error: "invalid <what> `text`: <message>" followed by the input and a caret
/// under [start, start+length). Positions are byte offsets into `text`.
[[noreturn]] void throw_parse_error(std::string_view what, std::string_view text,
                                    std::string_view message, std::size_t start = 0,
                                    std::size_t length = 0);

}  // namespace airlock::conda

#pragma once
/// Points at a place in a text input: `file:line:col`, the line itself, and a caret under the span.

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock {

struct SourceLocation {
    std::string file;  ///< empty for inputs that are not files (a requirement string on the CLI)
    std::size_t line = 0;    ///< 1-based
    std::size_t column = 0;  ///< 1-based
};

/// `file:line:col: message` followed by the quoted line and `~~~^` under [column, column+span).
std::string source_excerpt(const SourceLocation& where, std::string_view line_text,
                           std::string_view message, std::size_t span = 1);

/// The 1-based line `line` of `text` (without its newline); empty when out of range.
std::string_view line_of(std::string_view text, std::size_t line);

}  // namespace airlock

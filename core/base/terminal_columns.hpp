#pragma once
/// How much of a terminal line text takes, and text cut to fit one: the progress displays of
/// both programs draw lines that never wrap (a wrapped line cannot be redrawn in place).

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock {

/// Columns `text` (UTF-8, escaped: no controls) takes, never fewer than a terminal shows: code
/// points that may be wide (U+1000-U+1FFF, U+3000 and up, the 4-byte ones) count two.
std::size_t columns(std::string_view text);

/// `text` in at most `budget` columns: whole, or its start and end around "…" (the start gets
/// two thirds: a wheel's name and version come first, the end keeps its platform tag).
std::string fit_columns(std::string_view text, std::size_t budget);

/// The width of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS, else 80.
std::size_t terminal_width(int fd);

}  // namespace airlock

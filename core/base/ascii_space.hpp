#pragma once
/// ASCII whitespace and trimming for protocol and file-format text (version strings, specifiers,
/// header lines, config lines); locale-independent, unlike std::isspace.

#include <string_view>

namespace airlock {

inline constexpr std::string_view ascii_whitespace = " \t\n\v\f\r";

/// ' ', '\t', '\n', '\v', '\f' or '\r'.
constexpr bool ascii_space(char c) {
    return ascii_whitespace.find(c) != std::string_view::npos;
}

/// `text` without its leading and trailing characters from `chars`.
constexpr std::string_view ascii_trim(std::string_view text,
                                      std::string_view chars = ascii_whitespace) {
    auto first = text.find_first_not_of(chars);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(chars) - first + 1);
}

}  // namespace airlock

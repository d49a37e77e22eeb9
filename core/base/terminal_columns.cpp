#include "core/base/terminal_columns.hpp"

#include <sys/ioctl.h>

#include <cstdlib>

namespace airlock {
namespace {

/// Whether a code point starting with this UTF-8 byte may take two columns: U+1000-U+1FFF
/// (Hangul Jamo among them), U+3000 and up (CJK, fullwidth forms) and the 4-byte ones (emoji).
/// U+2000-U+2FFF (punctuation such as "…" and "≥") is narrow. Erring wide only makes a line a
/// little shorter than it could be.
bool is_wide_lead(unsigned char c) {
    return c == 0xE1 || c >= 0xE3;
}

/// The longest prefix of `text` that takes at most `budget` columns, cut at a code point.
std::string take_columns(std::string_view text, std::size_t budget) {
    std::size_t used = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        std::size_t w = is_wide_lead(c) ? 2 : 1;
        if (used + w > budget || i + len > text.size())
            break;
        used += w;
        i += len;
    }
    return std::string(text.substr(0, i));
}

/// The suffix of `text` that takes at most `budget` columns, cut at a code point.
std::string take_last_columns(std::string_view text, std::size_t budget) {
    std::size_t start = text.size();
    std::size_t used = 0;
    while (start > 0) {
        std::size_t s = start - 1;
        while (s > 0 && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80)
            --s;
        auto w = columns(text.substr(s, start - s));
        if (used + w > budget)
            break;
        used += w;
        start = s;
    }
    return std::string(text.substr(start));
}

}  // namespace

std::size_t columns(std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80)
            continue;
        n += is_wide_lead(c) ? 2 : 1;
    }
    return n;
}

std::string fit_columns(std::string_view text, std::size_t budget) {
    if (columns(text) <= budget)
        return std::string(text);
    if (budget < 5)
        return take_columns(text, budget);
    const std::size_t tail = (budget - 1) / 3;
    return take_columns(text, budget - 1 - tail) + "…" + take_last_columns(text, tail);
}

std::size_t terminal_width(int fd) {
    struct winsize ws {};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (const char* env = std::getenv("COLUMNS")) {
        char* end = nullptr;
        long n = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && n > 0 && n < 10000)
            return static_cast<std::size_t>(n);
    }
    return 80;
}

}  // namespace airlock

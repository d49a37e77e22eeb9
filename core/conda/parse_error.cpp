#include "core/conda/parse_error.hpp"

#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"

namespace airlock::conda {

namespace {

bool is_plain(unsigned char c) {
    return c >= 0x20 && c < 0x7f && c != '\\';
}

}  // namespace

std::string printable(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (is_plain(c)) {
            out += static_cast<char>(c);
        } else if (c == '\\') {
            out += "\\\\";
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

void throw_parse_error(std::string_view what, std::string_view text, std::string_view message,
                       std::size_t start, std::size_t length) {
    // The caret is placed on the escaped text: count how wide the bytes before it became.
    if (start > text.size())
        start = text.size();
    if (start + length > text.size())
        length = text.size() - start;
    std::size_t column = printable(text.substr(0, start)).size();
    std::size_t span = length == 0 ? 1 : printable(text.substr(start, length)).size();
    std::string shown = printable(text);
    std::string fact = "invalid " + std::string(what) + " `" + shown + "`: " + std::string(message);
    throw Error(source_excerpt(SourceLocation{"", 1, column + 1}, shown, fact, span));
}

}  // namespace airlock::conda

#include "core/base/source_excerpt.hpp"

namespace airlock {

std::string source_excerpt(const SourceLocation& where, std::string_view line_text,
                           std::string_view message, std::size_t span) {
    std::string out;
    if (!where.file.empty()) {
        out += where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
               ": ";
    }
    out += std::string(message) + "\n";
    out += "  " + std::string(line_text) + "\n";
    std::size_t col = where.column == 0 ? 1 : where.column;
    std::string marker(col - 1, ' ');
    if (span > 1)
        marker += std::string(span - 1, '~');
    marker += '^';
    out += "  " + marker;
    return out;
}

std::string_view line_of(std::string_view text, std::size_t line) {
    std::size_t start = 0;
    for (std::size_t n = 1; n < line; ++n) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            return {};
        start = nl + 1;
    }
    auto end = text.find('\n', start);
    auto out =
        text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    if (!out.empty() && out.back() == '\r')
        out.remove_suffix(1);
    return out;
}

}  // namespace airlock

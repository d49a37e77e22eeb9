#include "installer/conda/placeholder.hpp"

#include "core/base/error.hpp"

namespace airlock::install::conda {
namespace {

std::string replace_all(std::string_view data, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(data.size());
    std::size_t start = 0;
    while (true) {
        std::size_t at = data.find(from, start);
        if (at == std::string_view::npos)
            break;
        out.append(data.substr(start, at - start));
        out.append(to);
        start = at + from.size();
    }
    out.append(data.substr(start));
    return out;
}

}  // namespace

std::string replace_text_placeholder(std::string_view data, std::string_view placeholder,
                                     std::string_view prefix) {
    if (placeholder.empty())
        return std::string(data);
    std::string escaped_first;
    std::size_t newline = data.find('\n');
    if (newline != std::string_view::npos && prefix.find(' ') != std::string_view::npos) {
        std::string shebang_placeholder = "#!" + std::string(placeholder);
        std::string_view first = data.substr(0, newline);
        if (first.find(shebang_placeholder) != std::string_view::npos) {
            std::string escaped = "#!" + replace_all(prefix, " ", "\\ ");
            escaped_first = replace_all(first, shebang_placeholder, escaped);
            escaped_first.append(data.substr(newline));
            data = escaped_first;
        }
    }
    return replace_all(data, placeholder, prefix);
}

std::string replace_binary_placeholder(std::string_view data, std::string_view placeholder,
                                       std::string_view prefix) {
    if (placeholder.empty())
        return std::string(data);
    if (prefix.size() > placeholder.size() && data.find(placeholder) != std::string_view::npos)
        throw Error("the prefix " + quote(prefix) + " is " + std::to_string(prefix.size()) +
                    " bytes long, longer than the " + std::to_string(placeholder.size()) +
                    "-byte placeholder " + quote(placeholder) +
                    " compiled into a binary file; it cannot be replaced in place");
    std::string out;
    out.reserve(data.size());
    std::size_t start = 0;
    while (true) {
        std::size_t at = data.find(placeholder, start);
        if (at == std::string_view::npos)
            break;
        std::size_t nul = data.find('\0', at);
        if (nul == std::string_view::npos)
            throw Error("the placeholder " + quote(placeholder) +
                        " in a binary file is not followed by a NUL byte");
        out.append(data.substr(start, at - start));
        std::string_view piece = data.substr(at, nul - at);
        std::string replaced = replace_all(piece, placeholder, prefix);
        out.append(replaced);
        out.append(piece.size() - replaced.size(), '\0');
        start = nul;  // the terminating NUL is copied with the rest
    }
    out.append(data.substr(start));
    return out;
}

}  // namespace airlock::install::conda

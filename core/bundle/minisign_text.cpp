#include "core/bundle/minisign_text.hpp"

#include "core/bundle/base64.hpp"

namespace airlock::bundle::detail {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.push_back(line);
        start = end + 1;
    }
    return out;
}

Error format_error(std::string_view source, std::size_t line, const std::string& message) {
    return Error(std::string(source) + ":" + std::to_string(line) + ": " + message);
}

std::string comment_after(std::string_view line, std::string_view prefix, std::string_view source,
                          std::size_t line_number) {
    if (line.substr(0, prefix.size()) != prefix) {
        throw format_error(source, line_number, "expected a line starting with " + quote(prefix));
    }
    return std::string(line.substr(prefix.size()));
}

std::string decode_line(std::string_view line, std::size_t size, std::string_view what,
                        std::string_view source, std::size_t line_number) {
    auto bytes = base64_try_decode(line);
    if (!bytes) {
        throw format_error(source, line_number,
                           "the " + std::string(what) + " is not valid base64");
    }
    if (bytes->size() != size) {
        throw format_error(source, line_number,
                           "the " + std::string(what) + " is " + std::to_string(bytes->size()) +
                               " bytes long, expected " + std::to_string(size));
    }
    return *bytes;
}

std::size_t decoded_size(std::string_view line) {
    auto bytes = base64_try_decode(line);
    return bytes ? bytes->size() : 0;
}

std::string sibling_path(std::string_view source, std::string_view extension) {
    auto slash = source.rfind('/');
    auto dot = source.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) ||
        dot == 0 || source.substr(dot) == extension)
        return "";
    return std::string(source.substr(0, dot)) + std::string(extension);
}

std::uint64_t load_le64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

void store_le64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace airlock::bundle::detail

#include "core/base/toml_string.hpp"

#include <cstdio>

namespace airlock {

std::string toml_string(std::string_view value) {
    bool literal_ok = value.find('"') != std::string_view::npos;
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '\'' || byte < 0x20 || byte == 0x7f)
            literal_ok = false;
    }
    if (literal_ok)
        return "'" + std::string(value) + "'";
    std::string out = "\"";
    for (char c : value) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default: {
                auto byte = static_cast<unsigned char>(c);
                if (byte < 0x20 || byte == 0x7f) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x", byte);
                    out += escape;
                } else {
                    out += c;
                }
            }
        }
    }
    out += '"';
    return out;
}

std::string toml_string_array(const std::vector<std::string>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0)
            out += ", ";
        out += toml_string(values[i]);
    }
    return out + "]";
}

}  // namespace airlock

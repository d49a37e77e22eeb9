#include "core/wheel/project_name.hpp"

namespace airlock::wheel {

std::string normalize_project_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool in_separator = false;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (!in_separator)
                out += '-';
            in_separator = true;
            continue;
        }
        in_separator = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

}  // namespace airlock::wheel

#include "core/pep503/name.hpp"

namespace airlock::pep503 {

namespace {

bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_separator(char c) {
    return c == '-' || c == '_' || c == '.';
}

}  // namespace

std::string normalize(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool in_run = false;
    for (char c : name) {
        if (is_separator(c)) {
            if (!in_run)
                out += '-';
            in_run = true;
            continue;
        }
        in_run = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

bool is_valid_name(std::string_view name) {
    if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back()))
        return false;
    for (char c : name) {
        if (!is_alnum(c) && !is_separator(c))
            return false;
    }
    return true;
}

}  // namespace airlock::pep503

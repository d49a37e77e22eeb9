#include "core/conda/package_name.hpp"

#include "core/conda/parse_error.hpp"

namespace airlock::conda {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/// Empty when `text` is valid, else what is wrong and where.
struct Problem {
    std::string_view message;
    std::size_t at = 0;
};

std::optional<Problem> check(std::string_view text) {
    if (text.empty())
        return Problem{"a package name cannot be empty", 0};
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_name_char(text[i]))
            return Problem{"a package name has only letters, digits, `_`, `-` and `.`", i};
    }
    if (text.front() == '.' || text.front() == '-')
        return Problem{"a package name cannot start with `.` or `-`", 0};
    return std::nullopt;
}

}  // namespace

PackageName PackageName::parse(std::string_view text) {
    if (auto problem = check(text))
        throw_parse_error("package name", text, problem->message, problem->at, 1);
    PackageName name;
    name.source_ = std::string(text);
    name.normalized_ = name.source_;
    for (char& c : name.normalized_) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return name;
}

std::optional<PackageName> PackageName::try_parse(std::string_view text) {
    if (check(text))
        return std::nullopt;
    return parse(text);
}

bool PackageName::is_valid(std::string_view text) {
    return !check(text).has_value();
}

}  // namespace airlock::conda

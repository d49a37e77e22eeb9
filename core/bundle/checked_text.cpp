#include "core/bundle/checked_text.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/pep503/name.hpp"

namespace airlock::bundle {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// A first letter or digit, then letters, digits and the characters of `also`.
bool is_word(std::string_view value, std::string_view also, std::size_t max_size) {
    if (value.empty() || value.size() > max_size || !is_alnum(value.front()))
        return false;
    for (char c : value) {
        if (!is_alnum(c) && also.find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

[[noreturn]] void refuse(std::string_view what, const std::string& value, std::string_view rule) {
    throw Error(std::string(what) + " " + quote(value) + " is not allowed: " + std::string(rule));
}

}  // namespace

namespace rule {

void BundleName::check(const std::string& value) {
    if (!is_word(value, "._-", 100))
        refuse(what, value,
               "use 1-100 letters, digits, `.`, `_` and `-`, starting with a letter or digit");
}

void TargetName::check(const std::string& value) {
    if (!is_word(value, "._-", 100))
        refuse(what, value,
               "use 1-100 letters, digits, `.`, `_` and `-`, starting with a letter or digit");
}

void PackageName::check(const std::string& value) {
    if (value.empty() || (pep503::is_valid_name(value) && value.size() <= 200))
        return;
    // A conda name may start or end with `_` (`_libgcc_mutex`, `_openmp_mutex`).
    bool conda = value.size() <= 200 && (is_alnum(value.front()) || value.front() == '_') &&
                 (is_alnum(value.back()) || value.back() == '_') &&
                 is_word("a" + value, "._-", 201);
    if (!conda)
        refuse(what, value,
               "not a PEP 508 project or conda package name (letters, digits, and `.`, `_`, `-` "
               "inside)");
}

void Version::check(const std::string& value) {
    if (!value.empty() && !is_word(value, "._-+!", 100))
        refuse(what, value,
               "use at most 100 letters, digits, `.`, `_`, `-`, `+` and `!`, starting with a "
               "letter or digit");
}

void CondaSubdir::check(const std::string& value) {
    bool letter = !value.empty() && ((value.front() >= 'a' && value.front() <= 'z') ||
                                     (value.front() >= 'A' && value.front() <= 'Z'));
    if (!letter || !is_word(value, "-_", 64))
        refuse(what, value,
               "use 1-64 letters, digits, `-` and `_`, starting with a letter (`linux-64`)");
}

void CondaSpec::check(const std::string& value) {
    if (value.empty() || !is_plain_text(value, 1000))
        refuse(what, value, "not 1-1000 bytes of text without control characters");
}

void Path::check(const std::string& value) {
    if (!is_safe_relative_path(value))
        refuse(what, value,
               "not a plain relative path (absolute, `..`, empty component, backslash, control "
               "character or too long)");
}

}  // namespace rule

bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.size() > max_path_size || path.front() == '/' || path.back() == '/')
        return false;
    if (path.find('\\') != std::string_view::npos || terminal_text(path) != path)
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos)
            end = path.size();
        std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part.size() > max_component_size)
            return false;
        start = end + 1;
    }
    return true;
}

bool is_plain_text(std::string_view text, std::size_t max_size) {
    return text.size() <= max_size && terminal_text(text) == text;
}

}  // namespace airlock::bundle

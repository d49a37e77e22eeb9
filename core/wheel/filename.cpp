#include "core/wheel/filename.hpp"

#include "core/base/error.hpp"
#include "core/wheel/project_name.hpp"

#include <algorithm>

namespace airlock::wheel {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// PEP 427 escapes every run of non-alphanumerics in the name to `_`; packaging accepts
// letters, digits, `.` and `_` (and rejects `__`).
std::optional<std::string> name_problem(std::string_view name) {
    if (name.empty())
        return "the name is empty";
    for (char c : name) {
        if (!is_alnum(c) && c != '_' && c != '.') {
            return "the name " + quote(name) + " may only hold letters, digits, `.` and `_`";
        }
    }
    if (name.find("__") != std::string_view::npos) {
        return "the name " + quote(name) + " contains `__`";
    }
    return std::nullopt;
}

// A light syntax check: the version is kept as a string and parsed by consumers (PEP 440).
std::optional<std::string> version_problem(std::string_view version) {
    if (version.empty())
        return "the version is empty";
    if (!is_digit(version.front()) && version.front() != 'v' && version.front() != 'V') {
        return "the version " + quote(version) + " does not start with a digit";
    }
    for (char c : version) {
        if (!is_alnum(c) && c != '.' && c != '+' && c != '!' && c != '_') {
            return "the version " + quote(version) + " holds the character " +
                   quote(std::string(1, c)) +
                   (c == '%' ? " (percent-decode the file name taken from a URL first)" : "");
        }
    }
    return std::nullopt;
}

/// Fills `out`, or returns why `filename` is not a wheel file name.
std::optional<std::string> parse_into(std::string_view filename, WheelFilename& out) {
    constexpr std::string_view suffix = ".whl";
    if (filename.size() < suffix.size() ||
        filename.substr(filename.size() - suffix.size()) != suffix) {
        return std::string("must end with .whl");
    }
    std::string_view stem = filename.substr(0, filename.size() - suffix.size());
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto dash = stem.find('-', start);
        parts.push_back(stem.substr(start, dash == std::string_view::npos ? dash : dash - start));
        if (dash == std::string_view::npos)
            break;
        start = dash + 1;
    }
    if (parts.size() != 5 && parts.size() != 6) {
        return "wrong number of parts: expected `name-version[-build]-python-abi-platform`, "
               "found " +
               std::to_string(parts.size()) + " `-`-separated parts";
    }
    if (auto problem = name_problem(parts[0]))
        return problem;
    if (auto problem = version_problem(parts[1]))
        return problem;
    std::string_view build;
    if (parts.size() == 6) {
        build = parts[2];
        if (build.empty() || !is_digit(build.front()) ||
            !std::all_of(build.begin(), build.end(), [](char c) { return is_alnum(c); })) {
            return "the build tag " + quote(build) + " must start with a digit";
        }
    }
    auto n = parts.size();
    std::string tag_text = std::string(parts[n - 3]) + "-" + std::string(parts[n - 2]) + "-" +
                           std::string(parts[n - 1]);
    auto tags = tags::try_parse_tag_set(tag_text);
    if (!tags)
        return "the tags " + quote(tag_text) + " are not `python-abi-platform` tag sets";

    out.name = std::string(parts[0]);
    out.normalized_name = normalize_project_name(parts[0]);
    out.version = std::string(parts[1]);
    out.build_tag = std::string(build);
    out.tags = std::move(*tags);
    return std::nullopt;
}

}  // namespace

WheelFilename WheelFilename::parse(std::string_view filename) {
    WheelFilename out;
    if (auto problem = parse_into(filename, out)) {
        throw Error("The wheel filename " + quote(filename) + " is invalid: " + *problem);
    }
    return out;
}

std::optional<WheelFilename> WheelFilename::try_parse(std::string_view filename) {
    WheelFilename out;
    if (parse_into(filename, out))
        return std::nullopt;
    return out;
}

std::optional<std::pair<std::uint64_t, std::string>> WheelFilename::build() const {
    if (build_tag.empty())
        return std::nullopt;
    std::size_t i = 0;
    std::uint64_t number = 0;
    while (i < build_tag.size() && is_digit(build_tag[i])) {
        number = number * 10 + static_cast<std::uint64_t>(build_tag[i] - '0');
        ++i;
    }
    return std::pair{number, build_tag.substr(i)};
}

}  // namespace airlock::wheel

#include "core/conda/version_spec.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"
#include "core/conda/glob.hpp"
#include "core/conda/parse_error.hpp"

#include <algorithm>

namespace airlock::conda {

namespace {

bool is_operator_char(char c) {
    return c == '=' || c == '<' || c == '>' || c == '!' || c == '~';
}

/// The reason in an Error thrown by Version::parse ("invalid conda version `x`: <reason>\n…").
std::string reason_of(const Error& e) {
    std::string_view what = e.what();
    what = what.substr(0, what.find('\n'));
    auto at = what.find("`: ");
    return std::string(at == std::string_view::npos ? what : what.substr(at + 3));
}

}  // namespace

struct VersionSpecParser {
    using Kind = VersionSpec::Kind;
    using Node = VersionSpec::Node;

    std::string_view text;
    std::size_t pos = 0;

    [[noreturn]] void fail(std::string_view message, std::size_t at, std::size_t length) const {
        throw_parse_error("version spec", text, message, at, length);
    }

    void skip_space() {
        while (pos < text.size() && ascii_space(text[pos]))
            ++pos;
    }

    static void append(Node& group, Node child) {
        if (child.kind == group.kind) {
            for (auto& c : child.children)
                group.children.push_back(std::move(c));
        } else {
            group.children.push_back(std::move(child));
        }
    }

    Node any_of() {
        Node first = all_of();
        skip_space();
        if (pos >= text.size() || text[pos] != '|')
            return first;
        Node group;
        group.kind = Kind::any_of;
        append(group, std::move(first));
        while (pos < text.size() && text[pos] == '|') {
            ++pos;
            append(group, all_of());
            skip_space();
        }
        return group;
    }

    Node all_of() {
        Node first = primary();
        skip_space();
        if (pos >= text.size() || text[pos] != ',')
            return first;
        Node group;
        group.kind = Kind::all_of;
        append(group, std::move(first));
        while (pos < text.size() && text[pos] == ',') {
            ++pos;
            append(group, primary());
            skip_space();
        }
        return group;
    }

    Node primary() {
        skip_space();
        if (pos < text.size() && text[pos] == '(') {
            std::size_t open = pos++;
            Node inner = any_of();
            skip_space();
            if (pos >= text.size() || text[pos] != ')')
                fail("`(` is not closed", open, 1);
            ++pos;
            return inner;
        }
        std::size_t start = pos;
        while (pos < text.size() && text[pos] != '(' && text[pos] != ')' && text[pos] != '|' &&
               text[pos] != ',')
            ++pos;
        std::size_t end = pos;
        while (end > start && ascii_space(text[end - 1]))
            --end;
        if (end == start)
            fail("expected a version", start, 1);
        return leaf(start, end - start);
    }

    Version version_at(std::string_view v, std::size_t at, std::size_t length) const {
        try {
            return Version::parse(v);
        } catch (const Error& e) {
            fail(reason_of(e), at, length);
        }
    }

    Node leaf(std::size_t at, std::size_t length) {
        std::string_view s = text.substr(at, length);
        Node node;
        node.text = std::string(s);
        if (s.front() == '^' || s.back() == '$')
            fail("regular-expression version specs are not supported", at, length);

        if (is_operator_char(s.front())) {
            static constexpr struct {
                std::string_view spelling;
                Kind kind;
            } operators[] = {
                {"==", Kind::equal},         {"!=", Kind::not_equal},  {"<=", Kind::less_equal},
                {">=", Kind::greater_equal}, {"~=", Kind::compatible}, {"=", Kind::starts_with},
                {"<", Kind::less},           {">", Kind::greater},
            };
            std::string_view op;
            for (const auto& candidate : operators) {
                if (s.starts_with(candidate.spelling)) {
                    op = candidate.spelling;
                    node.kind = candidate.kind;
                    break;
                }
            }
            std::string_view operand = s.substr(op.size());
            if (op.empty() || operand.empty() || is_operator_char(operand.front()))
                fail("invalid operator (one of == != < <= > >= ~= = followed by a version)", at,
                     length);
            for (char c : operand) {
                if (ascii_space(c))
                    fail("no space may follow an operator", at, length);
            }
            std::size_t operand_at = at + op.size();
            if (operand.ends_with(".*")) {
                operand.remove_suffix(2);
                if (node.kind == Kind::not_equal)
                    node.kind = Kind::not_starts_with;
                else if (node.kind == Kind::compatible)
                    fail("`~=` cannot be combined with `.*`", at, length);
                // `=1.2.*` and `>=1.2.*` mean `=1.2` and `>=1.2`; for `==`, `<`, `<=`, `>`
                // conda ignores the superfluous `.*` as well.
            }
            node.version = version_at(operand, operand_at, operand.size());
            if (node.kind == Kind::compatible) {
                const std::string& norm = node.version.normalized();
                auto dot = norm.rfind('.');
                if (dot == std::string::npos || dot == 0)
                    fail("`~=` needs a version with at least two components", at, length);
                node.prefix = version_at(norm.substr(0, dot), operand_at, operand.size());
            }
            return node;
        }

        if (s == "*") {
            node.kind = Kind::any;
            return node;
        }
        // A version holds no space (`3.8  **` printed as the glob `3.8  *.*`, which does not
        // parse).
        if (auto space = std::find_if(s.begin(), s.end(), ascii_space); space != s.end())
            fail("a space inside a version", at + static_cast<std::size_t>(space - s.begin()), 1);
        std::string_view without_stars = s;
        while (!without_stars.empty() && without_stars.back() == '*')
            without_stars.remove_suffix(1);
        if (without_stars.find('*') != std::string_view::npos) {
            for (std::size_t i = 0; i < s.size(); ++i) {
                char c = s[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '!' ||
                          c == '*' || c == '-';
                if (!ok)
                    fail("invalid character in a version pattern", at + i, 1);
            }
            node.kind = Kind::glob;
            return node;
        }
        if (s.back() == '*') {
            node.kind = Kind::starts_with;
            if (s.size() - without_stars.size() >= 2) {
                // conda reads `p**` as `p*.*` starting with the version `p*` (a `*` run is a
                // version component), not as a glob and not as `p.*`; `p*.*` alone would parse
                // back as a glob, so the text carries the operator: `=p*.*`.
                std::string_view prefix = s.substr(0, s.size() - 1);
                node.text = "=" + std::string(prefix) + ".*";
                node.version = version_at(prefix, at, prefix.size());
                return node;
            }
            if (!s.ends_with(".*"))
                node.text = std::string(without_stars) + ".*";
            std::string_view prefix = without_stars;
            while (!prefix.empty() && prefix.back() == '.')
                prefix.remove_suffix(1);
            if (prefix.empty())
                fail("expected a version before `*`", at, length);
            node.version = version_at(prefix, at, prefix.size());
            return node;
        }
        node.kind = Kind::equal;
        node.version = version_at(s, at, length);
        return node;
    }

    VersionSpec parse() {
        skip_space();
        if (pos == text.size())
            throw_parse_error("version spec", text, "empty version spec", 0, 0);
        VersionSpec spec;
        spec.root_ = any_of();
        skip_space();
        if (pos != text.size())
            fail(text[pos] == ')' ? "`)` without a matching `(`" : "unexpected character", pos, 1);
        return spec;
    }
};

VersionSpec::VersionSpec() {
    root_.kind = Kind::any;
    root_.text = "*";
}

VersionSpec VersionSpec::parse(std::string_view text) {
    return VersionSpecParser{text}.parse();
}

std::optional<VersionSpec> VersionSpec::try_parse(std::string_view text) {
    try {
        return parse(text);
    } catch (const Error&) {
        return std::nullopt;
    }
}

bool VersionSpec::matches(const Node& node, const Version& v) {
    switch (node.kind) {
        case Kind::any:
            return true;
        case Kind::all_of:
            for (const auto& c : node.children) {
                if (!matches(c, v))
                    return false;
            }
            return true;
        case Kind::any_of:
            for (const auto& c : node.children) {
                if (matches(c, v))
                    return true;
            }
            return false;
        case Kind::equal:
            return v == node.version;
        case Kind::not_equal:
            return v != node.version;
        case Kind::less:
            return v < node.version;
        case Kind::less_equal:
            return v <= node.version;
        case Kind::greater:
            return v > node.version;
        case Kind::greater_equal:
            return v >= node.version;
        case Kind::starts_with:
            return v.starts_with(node.version);
        case Kind::not_starts_with:
            return !v.starts_with(node.version);
        case Kind::compatible:
            return v >= node.version && v.starts_with(node.prefix);
        case Kind::glob:
            return glob_match(node.text, v.source());
    }
    return false;
}

bool VersionSpec::matches(const Version& version) const {
    return matches(root_, version);
}

std::optional<Version> VersionSpec::exact() const {
    if (root_.kind == Kind::equal)
        return root_.version;
    return std::nullopt;
}

void VersionSpec::print(const Node& node, bool inside_and, std::string& out) {
    switch (node.kind) {
        case Kind::all_of:
            for (std::size_t i = 0; i < node.children.size(); ++i) {
                if (i > 0)
                    out += ',';
                print(node.children[i], true, out);
            }
            return;
        case Kind::any_of:
            if (inside_and)
                out += '(';
            for (std::size_t i = 0; i < node.children.size(); ++i) {
                if (i > 0)
                    out += '|';
                print(node.children[i], false, out);
            }
            if (inside_and)
                out += ')';
            return;
        default:
            out += node.text.empty() ? std::string("*") : node.text;
            return;
    }
}

std::string VersionSpec::to_string() const {
    std::string out;
    print(root_, false, out);
    return out;
}

}  // namespace airlock::conda

#include "core/pep508/requirement.hpp"

#include "core/base/error.hpp"
#include "core/pep503/name.hpp"
#include "core/pep508/parser.hpp"

#include <algorithm>

namespace airlock::pep508 {

namespace {

bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
}
bool is_operator_char(char c) {
    return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
}

/// A PEP 508 name at the cursor: letters and digits, `.-_` inside. Empty when there is none.
std::string_view identifier(detail::Parser& p) {
    if (!is_alnum(p.peek()))
        return {};
    std::string_view text = p.text();
    std::size_t start = p.pos();
    std::size_t last_alnum = start;
    for (std::size_t end = start; end < text.size() && is_name_char(text[end]); ++end) {
        if (is_alnum(text[end]))
            last_alnum = end;
    }
    // Like the regex `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`: a name ends with a letter or digit.
    p.set_pos(last_alnum + 1);
    return text.substr(start, last_alnum + 1 - start);
}

[[noreturn]] void fail_comment(const detail::Parser& p) {
    p.fail("comments (`#`) are not part of a PEP 508 requirement; remove the comment", p.pos(),
           p.text().size() - 1);
}

/// `>=1.0, <2` up to something that cannot continue it; each clause checked where it stands.
pep440::SpecifierSet version_many(detail::Parser& p) {
    pep440::SpecifierSet set;
    while (true) {
        std::size_t start = p.pos();
        while (is_operator_char(p.peek()))
            p.set_pos(p.pos() + 1);
        p.skip_space();
        while (!p.at_end()) {
            char c = p.peek();
            if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == ')' || c == '#')
                break;
            p.set_pos(p.pos() + 1);
        }
        std::string_view clause = p.text().substr(start, p.pos() - start);
        if (clause.empty())
            p.fail("expected a version specifier");
        try {
            set = set.intersect(pep440::SpecifierSet::parse(clause));
        } catch (const Error& e) {
            p.fail(e.what(), start, p.pos() == start ? start : p.pos() - 1);
        }
        std::size_t mark = p.pos();
        p.skip_space();
        if (p.peek() != ',') {
            p.set_pos(mark);
            return set;
        }
        p.set_pos(p.pos() + 1);
        p.skip_space();
        // One trailing comma is tolerated, as pip does (`name>=1.0,` appears in real metadata).
        if (!is_operator_char(p.peek()))
            return set;
    }
}

}  // namespace

Requirement Requirement::parse(std::string_view text) {
    detail::Parser p(text, "requirement");
    p.refuse_line_breaks();
    Requirement r;

    p.skip_space();
    std::string_view name = identifier(p);
    if (name.empty()) {
        p.fail(p.peek() == '#' || p.at_end()
                   ? "expected a package name at the start of the requirement"
                   : "expected a package name at the start of the requirement (letters, digits, "
                     "and `.`, `-`, `_` inside)");
    }
    r.name = std::string(name);

    p.skip_space();
    if (p.peek() == '[') {
        std::size_t open = p.pos();
        p.set_pos(p.pos() + 1);
        p.skip_space();
        if (p.peek() != ']') {
            while (true) {
                std::string_view extra = identifier(p);
                if (extra.empty())
                    p.fail("expected an extra name");
                r.extras.push_back(pep503::normalize(extra));
                p.skip_space();
                if (p.peek() == ',') {
                    p.set_pos(p.pos() + 1);
                    p.skip_space();
                    continue;
                }
                if (p.peek() == ']')
                    break;
                if (is_alnum(p.peek()))
                    p.fail("expected a comma between extra names");
                p.fail("expected `]` to close the extras", open, p.pos());
            }
        }
        p.set_pos(p.pos() + 1);
        std::sort(r.extras.begin(), r.extras.end());
        r.extras.erase(std::unique(r.extras.begin(), r.extras.end()), r.extras.end());
    }

    p.skip_space();
    bool has_specifier = false;
    if (p.peek() == '@') {
        p.set_pos(p.pos() + 1);
        p.skip_space();
        std::size_t start = p.pos();
        while (!p.at_end() && p.peek() != ' ' && p.peek() != '\t')
            p.set_pos(p.pos() + 1);
        std::string_view url = p.text().substr(start, p.pos() - start);
        if (url.empty())
            p.fail("expected a URL after `@`");
        auto colon = url.find(':');
        if (colon == std::string_view::npos || colon == 0 ||
            !std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon),
                         [](char c) { return is_alnum(c) || c == '+' || c == '-' || c == '.'; })) {
            p.fail("expected a URL with a scheme (`https://…`, `file:///…`) after `@`", start,
                   p.pos() - 1);
        }
        r.url = std::string(url);
        p.skip_space();
        if (!p.at_end() && p.peek() != ';') {
            if (p.peek() == '#')
                fail_comment(p);
            p.fail("expected the end or `;` after the URL");
        }
    } else if (p.peek() == '(') {
        std::size_t open = p.pos();
        p.set_pos(p.pos() + 1);
        p.skip_space();
        if (p.peek() != ')')
            r.specifier = version_many(p);
        p.skip_space();
        if (p.peek() != ')') {
            p.fail("expected `)` to close the version specifier, or `,` before another clause",
                   open, p.pos());
        }
        p.set_pos(p.pos() + 1);
        has_specifier = true;
    } else if (is_operator_char(p.peek())) {
        r.specifier = version_many(p);
        has_specifier = true;
    }

    p.skip_space();
    if (p.peek() == ';') {
        p.set_pos(p.pos() + 1);
        r.marker = Marker(p.marker());
        p.skip_space();
        if (p.peek() == '#')
            fail_comment(p);
        if (!p.at_end()) {
            p.fail(p.peek() == ')' ? "unmatched `)` in the marker"
                                   : "expected `and`, `or` or the end of the marker");
        }
    } else if (!p.at_end()) {
        if (p.peek() == '#')
            fail_comment(p);
        if (r.url)
            p.fail("expected the end or `;` after the URL");
        p.fail(has_specifier ? "expected `,`, `;` or the end after the version specifier"
                             : "expected a version specifier (like `>=1.0`), `[extras]`, `@ url`, "
                               "`;` or the end after the name");
    }
    return r;
}

bool Requirement::operator==(const Requirement& other) const {
    return normalized_name() == other.normalized_name() && extras == other.extras &&
           specifier == other.specifier && url == other.url && marker == other.marker;
}

std::string Requirement::normalized_name() const {
    return pep503::normalize(name);
}

bool Requirement::applies_to(const Environment& environment, std::string_view extra) const {
    return !marker || marker->evaluate(environment, extra);
}

std::string Requirement::to_string() const {
    std::string out = name;
    if (!extras.empty()) {
        out += '[';
        for (std::size_t k = 0; k < extras.size(); ++k) {
            if (k)
                out += ',';
            out += extras[k];
        }
        out += ']';
    }
    out += specifier.to_string();
    if (url)
        out += " @ " + *url;
    if (marker)
        out += (url ? " ; " : "; ") + marker->to_string();
    return out;
}

}  // namespace airlock::pep508

#include "core/pep508/parser.hpp"

#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"
#include "core/pep503/name.hpp"

namespace airlock::pep508::detail {

namespace {

bool is_identifier_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '.';
}

/// PEP 508's marker variables, legacy spellings mapped to their PEP 508 names; empty when
/// `name` is not one.
std::string_view variable_name(std::string_view name) {
    static constexpr struct {
        std::string_view spelling;
        std::string_view name;
    } variables[] = {
        {"python_version", "python_version"},
        {"python_full_version", "python_full_version"},
        {"os_name", "os_name"},
        {"os.name", "os_name"},
        {"sys_platform", "sys_platform"},
        {"sys.platform", "sys_platform"},
        {"platform_release", "platform_release"},
        {"platform.release", "platform_release"},
        {"platform_system", "platform_system"},
        {"platform_version", "platform_version"},
        {"platform.version", "platform_version"},
        {"platform_machine", "platform_machine"},
        {"platform.machine", "platform_machine"},
        {"platform_python_implementation", "platform_python_implementation"},
        {"platform.python_implementation", "platform_python_implementation"},
        {"python_implementation", "platform_python_implementation"},
        {"implementation_name", "implementation_name"},
        {"implementation_version", "implementation_version"},
        {"extra", "extra"},
    };
    for (const auto& v : variables) {
        if (v.spelling == name)
            return v.name;
    }
    return {};
}

}  // namespace

void Parser::fail(std::string_view message, std::size_t start, std::size_t end) const {
    // Tabs and line breaks would put the caret in the wrong column: show them as spaces.
    std::string shown(text_);
    for (char& c : shown) {
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    }
    if (end < start)
        end = start;
    std::string fact = "invalid " + std::string(what_) + ": " + std::string(message);
    throw Error(source_excerpt(SourceLocation{"", 1, start + 1}, shown, fact, end - start + 1));
}

void Parser::refuse_line_breaks() const {
    auto at = text_.find_first_of("\r\n");
    if (at != std::string_view::npos) {
        fail(text_[at] == '\n'
                 ? "a line break (`\\n`) is not allowed in a " + std::string(what_)
                 : "a carriage return (`\\r`) is not allowed in a " + std::string(what_),
             at, at);
    }
}

bool Parser::skip_space() {
    std::size_t start = pos_;
    while (peek() == ' ' || peek() == '\t')
        ++pos_;
    return pos_ != start;
}

bool Parser::keyword(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
        return false;
    if (is_identifier_char(peek(word.size())))
        return false;
    pos_ += word.size();
    return true;
}

Marker::Node Parser::marker() {
    Marker::Node first = marker_and();
    if (!(skip_space(), keyword("or")))
        return first;
    Marker::Node any;
    any.kind = Marker::Node::Kind::any_of;
    any.children.push_back(std::move(first));
    do {
        any.children.push_back(marker_and());
    } while (skip_space(), keyword("or"));
    return any;
}

Marker::Node Parser::marker_and() {
    Marker::Node first = marker_atom();
    if (!(skip_space(), keyword("and")))
        return first;
    Marker::Node all;
    all.kind = Marker::Node::Kind::all_of;
    all.children.push_back(std::move(first));
    do {
        all.children.push_back(marker_atom());
    } while (skip_space(), keyword("and"));
    return all;
}

Marker::Node Parser::marker_atom() {
    skip_space();
    if (peek() == '(') {
        std::size_t open = pos_++;
        Marker::Node inner = marker();
        skip_space();
        if (peek() != ')') {
            fail("expected `)` to close the `(`, or `and`/`or` to continue the marker", open, pos_);
        }
        ++pos_;
        inner.parenthesized = true;
        return inner;
    }
    Marker::Node item;
    item.lhs = marker_operand();
    skip_space();
    item.op = marker_op();
    skip_space();
    item.rhs = marker_operand();
    // PEP 685: extra names compare normalised; packaging normalises the literal when parsing.
    if (item.lhs.is_variable && item.lhs.value == "extra" && !item.rhs.is_variable)
        item.rhs.value = pep503::normalize(item.rhs.value);
    else if (item.rhs.is_variable && item.rhs.value == "extra" && !item.lhs.is_variable)
        item.lhs.value = pep503::normalize(item.lhs.value);
    return item;
}

Marker::Node::Operand Parser::marker_operand() {
    Marker::Node::Operand operand;
    char quote_char = peek();
    if (quote_char == '"' || quote_char == '\'') {
        // Like packaging: the string ends at the next quote of its kind, then its escapes are
        // read as Python's (ast.literal_eval), so a backslash cannot hide the closing quote.
        std::size_t close = text_.find(quote_char, pos_ + 1);
        if (close == std::string_view::npos) {
            fail(std::string("expected a closing ") + quote_char + " for this string", pos_,
                 text_.size());
        }
        operand.value = unescape(pos_ + 1, close);
        pos_ = close + 1;
        return operand;
    }
    std::size_t start = pos_;
    while (is_identifier_char(peek()))
        ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    std::string_view name = variable_name(word);
    if (name.empty()) {
        std::string message = "expected a marker variable or a quoted string";
        if (!word.empty()) {
            message = quote(word) +
                      " is not a marker variable; expected one of python_version, "
                      "python_full_version, os_name, sys_platform, platform_release, "
                      "platform_system, platform_version, platform_machine, "
                      "platform_python_implementation, implementation_name, "
                      "implementation_version, extra, or a quoted string";
        }
        fail(message, start, word.empty() ? start : pos_ - 1);
    }
    operand.is_variable = true;
    operand.value = std::string(name);
    return operand;
}

std::string Parser::unescape(std::size_t begin, std::size_t end) const {
    std::string out;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    auto utf8 = [&](std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    };
    for (std::size_t i = begin; i < end; ++i) {
        char c = text_[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 1 >= end) {
            fail(
                "invalid quoted string: the backslash escapes the closing quote, so the string "
                "never ends",
                begin - 1, end);
        }
        char e = text_[++i];
        static constexpr std::string_view simple = "\\'\"abfnrtv";
        static constexpr std::string_view meaning = "\\'\"\a\b\f\n\r\t\v";
        if (auto k = simple.find(e); k != std::string_view::npos) {
            out += meaning[k];
        } else if (e >= '0' && e <= '7') {
            unsigned value = 0;
            std::size_t digits = 0;
            for (; digits < 3 && i < end && text_[i] >= '0' && text_[i] <= '7'; ++digits, ++i)
                value = value * 8 + static_cast<unsigned>(text_[i] - '0');
            --i;
            utf8(value);
        } else if (e == 'x' || e == 'u' || e == 'U') {
            std::size_t want = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            std::uint32_t value = 0;
            for (std::size_t d = 0; d < want; ++d) {
                int h = i + 1 + d < end ? hex(text_[i + 1 + d]) : -1;
                if (h < 0) {
                    fail("invalid quoted string: `\\" + std::string(1, e) + "` needs " +
                             std::to_string(want) + " hexadecimal digits",
                         i - 1, std::min(i + d, end - 1));
                }
                value = value * 16 + static_cast<std::uint32_t>(h);
            }
            if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
                fail("invalid quoted string: `\\" + std::string(1, e) + "` names no character",
                     i - 1, i + want);
            i += want;
            utf8(value);
        } else if (e == 'N') {
            fail(
                "invalid quoted string: `\\N{...}` escapes are not supported; write the character "
                "itself",
                i - 1, i);
        } else {
            out += '\\';  // Python keeps an unknown escape (`\d`) as it is, with a warning
            out += e;
        }
    }
    return out;
}

MarkerOp Parser::marker_op() {
    static constexpr struct {
        std::string_view spelling;
        MarkerOp op;
    } operators[] = {
        {"===", MarkerOp::arbitrary}, {"==", MarkerOp::equal},      {"~=", MarkerOp::compatible},
        {"!=", MarkerOp::not_equal},  {"<=", MarkerOp::less_equal}, {">=", MarkerOp::greater_equal},
        {"<", MarkerOp::less},        {">", MarkerOp::greater},
    };
    for (const auto& o : operators) {
        if (text_.substr(pos_, o.spelling.size()) == o.spelling) {
            pos_ += o.spelling.size();
            return o.op;
        }
    }
    if (keyword("in"))
        return MarkerOp::in;
    std::size_t start = pos_;
    if (keyword("not")) {
        if (skip_space() && keyword("in"))
            return MarkerOp::not_in;
        fail("expected `in` after `not`", start, pos_);
    }
    fail(
        "expected a marker operator, one of `<=`, `<`, `!=`, `==`, `>=`, `>`, `~=`, `===`, `in`, "
        "`not in`");
}

}  // namespace airlock::pep508::detail

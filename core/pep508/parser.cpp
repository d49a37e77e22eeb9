#include "core/pep508/parser.hpp"

#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"

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
    return item;
}

Marker::Node::Operand Parser::marker_operand() {
    Marker::Node::Operand operand;
    char quote_char = peek();
    if (quote_char == '"' || quote_char == '\'') {
        std::size_t close = text_.find(quote_char, pos_ + 1);
        if (close == std::string_view::npos) {
            fail(std::string("expected a closing ") + quote_char + " for this string", pos_,
                 text_.size());
        }
        operand.value = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
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

#include "core/pep508/marker.hpp"

#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "core/pep503/name.hpp"
#include "core/pep508/parser.hpp"

#include <algorithm>

namespace airlock::pep508 {

using Node = Marker::Node;

std::string_view to_string(MarkerOp op) {
    switch (op) {
        case MarkerOp::less:
            return "<";
        case MarkerOp::less_equal:
            return "<=";
        case MarkerOp::not_equal:
            return "!=";
        case MarkerOp::equal:
            return "==";
        case MarkerOp::greater_equal:
            return ">=";
        case MarkerOp::greater:
            return ">";
        case MarkerOp::compatible:
            return "~=";
        case MarkerOp::arbitrary:
            return "===";
        case MarkerOp::in:
            return "in";
        case MarkerOp::not_in:
            return "not in";
    }
    return "?";
}

Marker::Marker(Node root) : root_(std::make_shared<const Node>(std::move(root))) {}

Marker Marker::parse(std::string_view text) {
    detail::Parser parser(text, "marker");
    Node root = parser.marker();
    parser.skip_space();
    if (!parser.at_end()) {
        parser.fail(parser.peek() == ')' ? "unmatched `)`"
                                         : "expected `and`, `or` or the end of the marker");
    }
    return Marker(std::move(root));
}

namespace {

bool lowered_equal(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

bool compare(std::string_view lhs, MarkerOp op, std::string_view rhs) {
    switch (op) {
        case MarkerOp::in:
            return rhs.find(lhs) != std::string_view::npos;
        case MarkerOp::not_in:
            return rhs.find(lhs) == std::string_view::npos;
        case MarkerOp::arbitrary:
            return lowered_equal(lhs, rhs);
        default:
            break;
    }
    // PEP 440 when `<op><rhs>` is a specifier and lhs a version (`python_version >= "3.8"` is
    // true for 3.12, where the strings compare the other way).
    std::string clause(to_string(op));
    clause += rhs;
    if (auto spec = pep440::Specifier::try_parse(clause)) {
        if (auto version = pep440::Version::try_parse(lhs)) {
            return spec->contains(*version, pep440::Prereleases::allow);
        }
    }
    switch (op) {
        case MarkerOp::less:
            return lhs < rhs;
        case MarkerOp::less_equal:
            return lhs <= rhs;
        case MarkerOp::not_equal:
            return lhs != rhs;
        case MarkerOp::equal:
            return lhs == rhs;
        case MarkerOp::greater_equal:
            return lhs >= rhs;
        case MarkerOp::greater:
            return lhs > rhs;
        default:
            // `~=` has no meaning for strings that are not versions.
            return false;
    }
}

bool evaluate_node(const Node& node, const Environment& env, std::string_view extra) {
    switch (node.kind) {
        case Node::Kind::all_of:
            return std::all_of(node.children.begin(), node.children.end(),
                               [&](const Node& child) { return evaluate_node(child, env, extra); });
        case Node::Kind::any_of:
            return std::any_of(node.children.begin(), node.children.end(),
                               [&](const Node& child) { return evaluate_node(child, env, extra); });
        case Node::Kind::compare:
            break;
    }
    bool about_extra = (node.lhs.is_variable && node.lhs.value == "extra") ||
                       (node.rhs.is_variable && node.rhs.value == "extra");
    if (about_extra && extra.empty())
        return false;

    auto value = [&](const Node::Operand& operand) -> std::string {
        if (!operand.is_variable)
            return about_extra ? pep503::normalize(operand.value) : operand.value;
        if (operand.value == "extra")
            return pep503::normalize(extra);
        return env.get(operand.value).value_or(std::string());
    };
    return compare(value(node.lhs), node.op, value(node.rhs));
}

void print_operand(std::string& out, const Node::Operand& operand) {
    if (operand.is_variable) {
        out += operand.value;
        return;
    }
    char quote = operand.value.find('"') == std::string::npos ? '"' : '\'';
    out += quote;
    out += operand.value;
    out += quote;
}

void print(std::string& out, const Node& node, bool top) {
    if (node.kind == Node::Kind::compare) {
        print_operand(out, node.lhs);
        out += ' ';
        out += to_string(node.op);
        out += ' ';
        print_operand(out, node.rhs);
        return;
    }
    bool parens = !top && node.parenthesized;
    if (parens)
        out += '(';
    const char* joiner = node.kind == Node::Kind::all_of ? " and " : " or ";
    for (std::size_t k = 0; k < node.children.size(); ++k) {
        if (k)
            out += joiner;
        const Node& child = node.children[k];
        // An `or` inside an `and` always needs its parentheses.
        if (node.kind == Node::Kind::all_of && child.kind == Node::Kind::any_of &&
            !child.parenthesized) {
            out += '(';
            print(out, child, true);
            out += ')';
        } else {
            print(out, child, false);
        }
    }
    if (parens)
        out += ')';
}

}  // namespace

bool Marker::evaluate(const Environment& environment, std::string_view extra) const {
    return evaluate_node(*root_, environment, extra);
}

std::string Marker::to_string() const {
    std::string out;
    print(out, *root_, true);
    return out;
}

}  // namespace airlock::pep508

#include "core/pep508/marker.hpp"

#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "core/pep503/name.hpp"
#include "core/pep508/parser.hpp"

#include "core/base/error.hpp"

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
    parser.refuse_line_breaks();
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

/// The variables whose values are versions: only these compare as PEP 440 versions
/// (packaging 26's MARKERS_REQUIRING_VERSION).
bool is_version_variable(std::string_view name) {
    return name == "python_version" || name == "python_full_version" ||
           name == "implementation_version" || name == "platform_release";
}

[[noreturn]] void undefined(const Node& node, std::string_view lhs, std::string_view rhs) {
    throw Error("undefined comparison in the marker " + quote(Marker(node).to_string()) + ": " +
                quote(to_string(node.op)) + " needs two versions, and " + quote(lhs) + " " +
                std::string(to_string(node.op)) + " " + quote(rhs) +
                " is not a version comparison (pip fails on it too)");
}

/// packaging 26's `_eval_op`: a PEP 440 comparison when the variable holds a version and
/// `<op><rhs>` is a valid specifier (a left side that is no version then matches nothing);
/// otherwise strings, where `<` and `>` are false, `<=` and `>=` mean equality, and `~=` and
/// `===` are undefined (an error, as in packaging, never a silent `true`). Older packaging
/// (pip 25 and before) ordered plain strings lexicographically; no real marker depends on it.
bool compare(const Node& node, std::string_view key, std::string_view lhs, std::string_view rhs) {
    MarkerOp op = node.op;
    switch (op) {
        case MarkerOp::in:
            return rhs.find(lhs) != std::string_view::npos;
        case MarkerOp::not_in:
            return rhs.find(lhs) == std::string_view::npos;
        default:
            break;
    }
    if (is_version_variable(key)) {
        if (op == MarkerOp::arbitrary)
            return lowered_equal(lhs, rhs);  // `===` compares the strings
        std::string clause(to_string(op));
        clause += rhs;
        if (auto spec = pep440::Specifier::try_parse(clause)) {
            auto version = pep440::Version::try_parse(lhs);
            return version && spec->contains(*version, pep440::Prereleases::allow);
        }
    }
    switch (op) {
        case MarkerOp::equal:
        case MarkerOp::less_equal:
        case MarkerOp::greater_equal:
            return lhs == rhs;
        case MarkerOp::not_equal:
            return lhs != rhs;
        case MarkerOp::less:
        case MarkerOp::greater:
            return false;
        default:
            undefined(node, lhs, rhs);
    }
}

bool evaluate_node(const Node& node, const Environment& env, std::string_view extra) {
    if (node.kind != Node::Kind::compare) {
        // Every child is evaluated, as packaging does: an undefined comparison is an error even
        // where the other side of an `or` already decides.
        bool all = true, any = false;
        for (const auto& child : node.children) {
            bool value = evaluate_node(child, env, extra);
            all = all && value;
            any = any || value;
        }
        return node.kind == Node::Kind::all_of ? all : any;
    }
    // The key deciding how values compare: the variable's name (`extra` with no extra given is
    // the empty string, as in packaging: `extra != "gpu"` holds for the package itself).
    std::string_view key = node.lhs.is_variable   ? node.lhs.value
                           : node.rhs.is_variable ? node.rhs.value
                                                  : std::string_view();
    auto value = [&](const Node::Operand& operand) -> std::string {
        if (!operand.is_variable)
            return operand.value;  // an extra's literal was normalised when parsed
        if (operand.value == "extra")
            return pep503::normalize(extra);
        return env.get(operand.value).value_or(std::string());
    };
    return compare(node, key, value(node.lhs), value(node.rhs));
}

void print_operand(std::string& out, const Node::Operand& operand) {
    if (operand.is_variable) {
        out += operand.value;
        return;
    }
    char mark = operand.value.find('"') == std::string::npos ? '"' : '\'';
    out += mark;
    // Escaped so that parsing the text again gives the same value.
    for (char c : operand.value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    out += mark;
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

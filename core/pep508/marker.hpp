#pragma once
/// PEP 508 environment markers (https://peps.python.org/pep-0508/#environment-markers): parse,
/// evaluate against a given environment (a target's, never implicitly the host's), print.

#include "core/pep508/environment.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pep508 {

enum class MarkerOp : std::uint8_t {
    less,           ///< <
    less_equal,     ///< <=
    not_equal,      ///< !=
    equal,          ///< ==
    greater_equal,  ///< >=
    greater,        ///< >
    compatible,     ///< ~=
    arbitrary,      ///< ===
    in,             ///< in      (substring)
    not_in,         ///< not in
};

std::string_view to_string(MarkerOp op);

class Marker {
  public:
    /// One node of the expression tree: a comparison, or an and/or of child nodes.
    struct Node {
        enum class Kind : std::uint8_t { compare, all_of, any_of };  // compare, `and`, `or`
        struct Operand {
            bool is_variable = false;
            std::string value;  ///< the variable's PEP 508 name (`os_name`), or the literal
        };

        Kind kind = Kind::compare;
        Operand lhs;
        MarkerOp op = MarkerOp::equal;
        Operand rhs;
        std::vector<Node> children;  ///< all_of / any_of
        bool parenthesized = false;  ///< written in parentheses (kept when printing)
    };

    /// The full PEP 508 marker grammar: `and`/`or`/parentheses, both quote styles, every
    /// comparison operator, the variable on either side, legacy dotted names (`os.name`).
    /// Quoted strings read Python escapes as packaging does (`\\`, `\n`, `\x41`…); an invalid
    /// escape (`\x`, a backslash before the closing quote) and line breaks are refused. A literal
    /// compared with `extra` is PEP 503-normalised here (`"Foo_Bar"` prints as `"foo-bar"`).
    /// Throws airlock::Error with the input and a `~~~^` under the offending part.
    static Marker parse(std::string_view text);

    explicit Marker(Node root);

    /// PEP 508 evaluation as packaging 26 does it: a PEP 440 comparison when the variable holds
    /// a version (python_version, python_full_version, implementation_version,
    /// platform_release) and `<op><literal>` is a valid specifier; otherwise strings, where
    /// `==`/`!=`/`in`/`not in` are as in Python, `<=`/`>=` mean equality and `<`/`>` are
    /// false. `~=` and `===` between plain strings are undefined: airlock::Error, as packaging
    /// raises UndefinedComparison. `extra` and the literal it is compared with are PEP
    /// 503-normalised (PEP 685); with no `extra` given, `extra` is the empty string.
    bool evaluate(const Environment& environment, std::string_view extra = {}) const;

    /// Normal form: single spaces, double quotes, PEP 508 variable names, the parentheses that
    /// group and/or as written: `python_version >= "3.8" and (os_name == "nt" or extra == "x")`.
    std::string to_string() const;

    const Node& root() const { return *root_; }

    bool operator==(const Marker& other) const { return to_string() == other.to_string(); }

  private:
    std::shared_ptr<const Node> root_;  ///< immutable, shared by copies
};

}  // namespace airlock::pep508

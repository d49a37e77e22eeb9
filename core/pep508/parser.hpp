#pragma once
/// The PEP 508 tokenizer and recursive-descent parser shared by Marker and Requirement (internal
/// to core/pep508). Errors look like packaging's: what was expected, the input, `~~~^` under it.

#include "core/pep508/marker.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::pep508::detail {

class Parser {
  public:
    /// `what` names the input in messages: "marker" or "requirement".
    Parser(std::string_view text, std::string_view what) : text_(text), what_(what) {}

    /// Throws airlock::Error: `invalid <what>: <message>`, the input, and `~` from `start` to a
    /// `^` under `end` (offsets into the input).
    [[noreturn]] void fail(std::string_view message, std::size_t start, std::size_t end) const;
    [[noreturn]] void fail(std::string_view message) const { fail(message, pos_, pos_); }

    std::size_t pos() const { return pos_; }
    void set_pos(std::size_t pos) { pos_ = pos; }
    bool at_end() const { return pos_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    std::string_view text() const { return text_; }

    /// [ \t]*; true when something was skipped.
    bool skip_space();
    /// `word` followed by a non-identifier character (a `\b` boundary).
    bool keyword(std::string_view word);

    /// marker_or: the whole expression, up to something that cannot continue it.
    Marker::Node marker();

    /// Refuses a line break anywhere in the input (`name\n` from a careless file read): a PEP
    /// 508 string is one line, and packaging's tokenizer would accept a trailing one silently.
    void refuse_line_breaks() const;

  private:
    Marker::Node marker_and();
    Marker::Node marker_atom();
    Marker::Node::Operand marker_operand();
    /// The value of the quoted string between offsets `begin` and `end` (the quotes excluded),
    /// with Python's escapes read; an invalid escape fails.
    std::string unescape(std::size_t begin, std::size_t end) const;
    MarkerOp marker_op();

    std::string_view text_;
    std::string_view what_;
    std::size_t pos_ = 0;
};

}  // namespace airlock::pep508::detail

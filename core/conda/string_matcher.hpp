#pragma once
/// The string fields of a MatchSpec (name, build, license…): an exact value or a `*` glob,
/// as conda's GlobStrMatch reads them. Regular expressions (`^…$`) are refused.

#include <optional>
#include <string>
#include <string_view>

namespace airlock::conda {

class StringMatcher {
  public:
    /// Matches everything (`*`).
    StringMatcher() = default;
    /// `pattern` is exact unless it contains `*`. Does not validate (the caller does).
    explicit StringMatcher(std::string pattern);

    bool matches(std::string_view value) const;
    bool is_any() const { return pattern_ == "*"; }
    /// The value when the pattern has no `*`.
    std::optional<std::string> exact() const;
    const std::string& pattern() const { return pattern_; }

  private:
    std::string pattern_ = "*";
    bool glob_ = true;
};

}  // namespace airlock::conda

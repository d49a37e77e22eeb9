#pragma once
/// The strings of a bundle manifest as typed values: each is checked against a strict grammar
/// when it is made (a name never holds a separator, a path never leaves its tree, nothing holds a
/// control character), so code past the manifest parser cannot build a path, a state-file key or
/// a terminal line from an unchecked string. Signed or not, a bundle passes the same grammar: a
/// signature proves who built a bundle, not that its build machine and indexes were honest.

#include "core/base/terminal_text.hpp"

#include <compare>
#include <concepts>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace airlock::bundle {

/// A string that passed `Rule::check` (which throws airlock::Error naming `Rule::what` and the
/// value, escaped). Default-constructed it is empty; only rules that allow empty (a file that is
/// not a wheel has no package) accept an empty string.
template <class Rule>
class Checked {
  public:
    Checked() = default;
    Checked(std::string value) : value_(std::move(value)) { Rule::check(value_); }
    Checked(const char* value) : Checked(std::string(value)) {}

    const std::string& str() const { return value_; }
    operator const std::string&() const { return value_; }
    operator std::string_view() const { return value_; }
    bool empty() const { return value_.empty(); }

    friend bool operator==(const Checked& a, std::string_view b) { return a.value_ == b; }
    friend auto operator<=>(const Checked& a, std::string_view b) {
        return std::string_view(a.value_) <=> b;
    }
    // Two checked values compare directly: through the operators above, `a < b` would have two
    // candidates (either operand converted, C++20's reversed one), which clang refuses. A
    // template, so that `checked == "text"` does not also match it through the constructor.
    template <std::same_as<Checked> Other>
    friend bool operator==(const Checked& a, const Other& b) {
        return a.value_ == b.value_;
    }
    template <std::same_as<Checked> Other>
    friend auto operator<=>(const Checked& a, const Other& b) {
        return std::string_view(a.value_) <=> std::string_view(b.value_);
    }

    /// Printed escaped (terminal_text), whatever the grammar admits.
    friend std::ostream& operator<<(std::ostream& out, const Checked& c) {
        return out << terminal_text(c.value_);
    }

  private:
    std::string value_;
};

namespace rule {
/// Letters, digits, `.`, `_`, `-`, starting with a letter or digit; at most 100 bytes. It names
/// files (`.airlock-<bundle>-…`, `requirements.<target>.txt`) and state-file keys.
struct BundleName {
    static constexpr std::string_view what = "bundle name";
    static void check(const std::string& value);
};
struct TargetName {
    static constexpr std::string_view what = "target name";
    static void check(const std::string& value);
};
/// A PEP 508 project name (letters, digits, `.`, `-`, `_` inside) or a conda package name (which
/// may also start or end with `_`: `_libgcc_mutex`); at most 200 bytes; may be empty. The manifest
/// parser holds wheels' names to PEP 508 alone.
struct PackageName {
    static constexpr std::string_view what = "package name";
    static void check(const std::string& value);
};
/// PEP 440's alphabet (letters, digits, `.`, `_`, `-`, `+`, `!`), starting with a letter or
/// digit; at most 100 bytes; may be empty.
struct Version {
    static constexpr std::string_view what = "version";
    static void check(const std::string& value);
};
/// A conda subdir (`linux-64`, `win-64`, `noarch`): ASCII letters, digits, `-` and `_`, starting
/// with a letter; at most 64 bytes. It names the folder `conda/<subdir>/` of a bundle.
struct CondaSubdir {
    static constexpr std::string_view what = "conda subdir";
    static void check(const std::string& value);
};
/// A conda MatchSpec as the manifest wrote it (`pytorch=2.3`, `numpy >=1.26,<2`): not empty, at
/// most 1000 bytes, printing as itself (no control characters). Kept as text for
/// `conda-meta/history`, never made into a path.
struct CondaSpec {
    static constexpr std::string_view what = "conda spec";
    static void check(const std::string& value);
};
/// is_safe_relative_path().
struct Path {
    static constexpr std::string_view what = "path";
    static void check(const std::string& value);
};
}  // namespace rule

using BundleName = Checked<rule::BundleName>;
using TargetName = Checked<rule::TargetName>;
using PackageName = Checked<rule::PackageName>;
using VersionText = Checked<rule::Version>;
using BundlePath = Checked<rule::Path>;
using CondaSubdir = Checked<rule::CondaSubdir>;
using CondaSpecText = Checked<rule::CondaSpec>;

inline constexpr std::size_t max_path_size = 1024;
inline constexpr std::size_t max_component_size = 255;

/// True for a relative `a/b/c` path of at most max_path_size bytes whose components are at most
/// max_component_size bytes, not empty, `.` or `..`, with no backslash and nothing
/// terminal_text() would escape (control characters, invalid UTF-8, bidi controls): the only kind
/// of name a bundle may hold.
bool is_safe_relative_path(std::string_view path);

/// True when `text` is at most `max_size` bytes and prints as itself (terminal_text(text) ==
/// text): the rule for a manifest's free text (creation time, builder, URLs, …).
bool is_plain_text(std::string_view text, std::size_t max_size);

}  // namespace airlock::bundle

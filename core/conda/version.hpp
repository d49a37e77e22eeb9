#pragma once
/// Conda package versions and their order, as conda's `VersionOrder` defines them
/// (conda/models/version.py;
/// https://docs.conda.io/projects/conda/en/latest/user-guide/concepts/pkg-specs.html#version-ordering).
///
/// A version is `[epoch!]version[+local]`. Parsing lower-cases it, turns `-` into `_` when the
/// text has no `_`, splits the version and the local part into components at `.` and `_`, and each
/// component into runs of digits, of `*` and of other characters. A component that starts with
/// a letter gets a leading 0 (`1.1.a1` == `1.1.0a1`); a trailing `_` stays on the last component
/// (`1.1_`, openssl's convention). Runs compare as:
///
///     strings  <  numbers  <  `post`          (a missing run counts as the number 0)
///     `*` < `dev` < `_` < `a` … `z`           (strings, byte order; `dev` sorts first)
///
/// so `1.1dev1 < 1.1_ < 1.1a1 < 1.1.0rc1 < 1.1 == 1.1.0 < 1.1.post1 < 1.1post1 < 1!0.1`.
/// The local part counts only when everything before it is equal.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

class Version {
  public:
    /// The version `0`.
    Version();

    /// Throws airlock::Error quoting the input (with a caret) when `text` is not a conda
    /// version: empty, characters outside `[A-Za-z0-9.+!_*-]`, an empty component (`1..2`),
    /// a non-numeric epoch, two `!` or two `+`.
    static Version parse(std::string_view text);
    static std::optional<Version> try_parse(std::string_view text);

    /// As written (surrounding whitespace removed): `1.0.0RC1`. This is what is displayed,
    /// written back to repodata, and what glob specs (`1.*.3`) are matched against.
    const std::string& source() const { return source_; }
    /// Lower case, `-` replaced by `_` when conda does that: `1.0.0rc1`.
    const std::string& normalized() const { return normalized_; }
    const std::string& to_string() const { return source_; }

    bool has_local() const { return local_start_ != segments_.size(); }

    /// conda's order; `1.0 == 1.0.0`, `1.0.RC1 == 1.0.rc1`.
    std::weak_ordering operator<=>(const Version& other) const;
    bool operator==(const Version& other) const;

    /// conda's `startswith`: whether this version begins with all of `prefix`'s components,
    /// the last one compared as a prefix when it is a string. `1.2.3`, `1.2` and `1.2a` start
    /// with `1.2`; `1.20` does not. What `1.2.*` and `=1.2` match.
    bool starts_with(const Version& prefix) const;

    /// Consistent with operator== (trailing zeros ignored).
    std::size_t hash() const;

  private:
    friend struct VersionParser;

    /// One run of a component: a number (digits without leading zeros, so "" is 0), a string
    /// (lower case; `dev` stored as "DEV" so that it sorts first), or `post`.
    struct Atom {
        enum class Kind : std::uint8_t { string, number, post };
        Kind kind = Kind::number;
        std::string text;
    };
    using Segment = std::vector<Atom>;

    static std::weak_ordering compare_atoms(const Atom& a, const Atom& b);
    static bool atoms_equal(const Atom& a, const Atom& b);
    static std::weak_ordering compare_segments(const Segment* a, std::size_t na, const Segment* b,
                                               std::size_t nb);

    std::string source_;
    std::string normalized_;
    /// Epoch first, then the version components, then the local components.
    std::vector<Segment> segments_;
    std::size_t local_start_ = 0;
};

}  // namespace airlock::conda

template <>
struct std::hash<airlock::conda::Version> {
    std::size_t operator()(const airlock::conda::Version& v) const noexcept { return v.hash(); }
};

#pragma once
/// PEP 440 version specifiers: one clause (`>=1.2`, `==2.5.*`, `~=1.4.2`, `===foo`) and the
/// comma-separated set of them, with PEP 440's pre-release and local-version rules.

#include "core/pep440/version.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pep440 {

enum class Operator : std::uint8_t {
    compatible,     ///< ~=
    equal,          ///< ==   (also `==1.2.*`)
    not_equal,      ///< !=   (also `!=1.2.*`)
    less_equal,     ///< <=
    greater_equal,  ///< >=
    less,           ///< <
    greater,        ///< >
    arbitrary,      ///< ===  (string equality)
};

/// Whether pre-releases (and dev releases) can match.
enum class Prereleases {
    by_spec,  ///< PEP 440 default: only when a clause itself names a pre-release (`>=2.0b1`)
    allow,    ///< always considered (the user asked, or only pre-releases exist)
    deny,     ///< never
};

std::string_view to_string(Operator op);

class Specifier {
  public:
    /// `>=1.2`, `== 2.5.*`, `~=1.4.2`, `==2.5.1+cu124`, `===foobar`; throws airlock::Error
    /// quoting the clause and saying what is wrong.
    static Specifier parse(std::string_view text);
    static std::optional<Specifier> try_parse(std::string_view text);

    Operator op() const { return op_; }
    /// The version of the clause (`1.2` for `==1.2.*`); `0` for `===` with a non-PEP 440 text.
    const Version& version() const { return version_; }
    /// `==1.2.*` and `!=1.2.*`.
    bool is_wildcard() const { return wildcard_; }

    /// True when the clause names a pre-release with ==, >=, <=, ~= or === (PEP 440: such a
    /// clause lets pre-releases match).
    bool allows_prereleases() const;

    bool contains(const Version& version, Prereleases prereleases = Prereleases::by_spec) const;

    /// Normal form: operator then normalised version, no spaces (`>=1.0rc1`, `==2.5.*`).
    std::string to_string() const;

    bool operator==(const Specifier& other) const { return to_string() == other.to_string(); }

  private:
    bool matches(const Version& version) const;

    Operator op_ = Operator::greater_equal;
    Version version_;
    std::string arbitrary_;  ///< the text after `===`, as written
    bool wildcard_ = false;
};

class SpecifierSet {
  public:
    /// The empty set: every final release matches.
    SpecifierSet() = default;

    /// `  >=1.2, <2,!=1.5.*`; empty clauses are ignored, an empty string is the empty set.
    /// Errors name the bad clause and the whole set.
    static SpecifierSet parse(std::string_view text);
    static std::optional<SpecifierSet> try_parse(std::string_view text);

    /// Every clause matches. With Prereleases::by_spec a pre-release matches only when a clause
    /// names one (PEP 440); the empty set then matches no pre-release.
    bool contains(const Version& version, Prereleases prereleases = Prereleases::by_spec) const;
    /// Some clause names a pre-release (see Specifier::allows_prereleases).
    bool allows_prereleases() const;

    /// Canonical: clauses normalised, sorted, de-duplicated, joined by `,` (`<2,>=1.2`).
    std::string to_string() const;
    bool empty() const { return specifiers_.empty(); }
    const std::vector<Specifier>& specifiers() const { return specifiers_; }

    /// The set both `*this` and `other` allow (the clauses of both).
    SpecifierSet intersect(const SpecifierSet& other) const;

    bool operator==(const SpecifierSet& other) const { return to_string() == other.to_string(); }

  private:
    void add(Specifier specifier);

    std::vector<Specifier> specifiers_;  ///< sorted by to_string(), unique
};

}  // namespace airlock::pep440

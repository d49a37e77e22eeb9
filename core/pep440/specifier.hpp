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
    arbitrary,      ///< ===  (string equality with the version as published)
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

    /// True when the clause names a pre-release with any operator but `!=` (`>=2.0b1`,
    /// `<1.0.dev1`, `>1.0a1`): PEP 440 lets such a clause match pre-releases, and packaging
    /// (22 and later) counts `<` and `>` too.
    bool allows_prereleases() const;

    /// Whether `version` matches. `===` compares `version.to_string()`: use the overload with
    /// the published text when there is one.
    bool contains(const Version& version, Prereleases prereleases = Prereleases::by_spec) const;
    /// As above; `raw` is the version as published (`1.01`), which `===` compares
    /// case-insensitively (PEP 440 arbitrary equality is on strings, not normalised versions).
    bool contains(const Version& version, std::string_view raw,
                  Prereleases prereleases = Prereleases::by_spec) const;

    /// Normal form: operator then normalised version, no spaces (`>=1.0rc1`, `==2.5.*`).
    std::string to_string() const;
    /// The key two clauses are equal by (packaging's `_canonical_spec`): the operator and the
    /// normalised version without trailing zeros, except after `~=` (`~=2.2` ≠ `~=2.2.0`) and
    /// before `.*` (`==2.8.*` ≠ `==2.8.0.*`); `===` keeps its text, lower-cased.
    std::string canonical() const;

    /// `==2.8.0` equals `==2.8`; `>=1.0` does not equal `>1.0`.
    bool operator==(const Specifier& other) const { return canonical() == other.canonical(); }

  private:
    bool matches(const Version& version, std::string_view raw) const;

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
    /// As above with the version as published, for `===` (see Specifier::contains).
    bool contains(const Version& version, std::string_view raw,
                  Prereleases prereleases = Prereleases::by_spec) const;
    /// Some clause names a pre-release (see Specifier::allows_prereleases).
    bool allows_prereleases() const;

    /// Clauses normalised, sorted, de-duplicated (by Specifier::operator==), joined by `,`
    /// (`<2,>=1.2`).
    std::string to_string() const;
    bool empty() const { return specifiers_.empty(); }
    const std::vector<Specifier>& specifiers() const { return specifiers_; }

    /// The set both `*this` and `other` allow (the clauses of both).
    SpecifierSet intersect(const SpecifierSet& other) const;

    /// The same clauses, compared as Specifier::operator== does (`==2.8.0` equals `==2.8`).
    bool operator==(const SpecifierSet& other) const;

  private:
    void add(Specifier specifier);

    std::vector<Specifier> specifiers_;  ///< sorted by to_string(), unique
};

}  // namespace airlock::pep440

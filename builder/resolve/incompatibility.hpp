#pragma once
/// PubGrub's facts: an incompatibility is a set of terms that cannot all hold at once, with the
/// cause it came from (a dependency, a package without usable versions, or two earlier
/// incompatibilities combined by conflict resolution). Internal to the engine and its reporter.

#include "builder/resolve/provider.hpp"
#include "builder/resolve/version_set.hpp"

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace airlock::resolve {

inline constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

struct Term {
    std::size_t package;  ///< index into the solver's package table (0 is the root)
    VersionSet set;       ///< over the package's candidates + "not selected"
};

/// `dependency`: terms {depender at its version, dependee outside the wanted set (or absent)};
/// `constraint`: {constrainer at its version, constrained at a version outside the allowed set}
/// — absence satisfies a constraint, so the second term excludes "not selected".
enum class Cause { root, dependency, constraint, no_versions, derived };

struct Incompatibility {
    std::vector<Term> terms;
    Cause cause = Cause::derived;
    std::size_t left = none;  ///< derived: the two incompatibilities it was derived from
    std::size_t right = none;
};

/// What the reporter needs to know about a package.
struct PackageInfo {
    PackageId id;
    std::string name;  ///< display name
    std::vector<Candidate> candidates;
    /// Constraint texts seen for this package with the set each one denotes (versions only),
    /// so explanations say `sympy<1.13` rather than an enumerated range.
    std::vector<std::pair<VersionSet, std::string>> labels;
    std::string missing;       ///< why there are no candidates (describe_missing)
    std::string missing_hint;  ///< what to do about it (hint_missing)
    std::string fixed;         ///< what the target fixes for it (describe_fixed), or ""
};

/// The human explanation of why `failure` (an incompatibility that rules out the root) holds,
/// following PubGrub's reporting algorithm: numbered lines for facts used twice.
std::string explain(const std::vector<Incompatibility>& incompatibilities, std::size_t failure,
                    const std::vector<PackageInfo>& packages);

/// What the user can do about `failure`: picked from the external facts it rests on (a package
/// no index has, versions without a usable file, or plain conflicting requirements).
std::string hint_for(const std::vector<Incompatibility>& incompatibilities, std::size_t failure,
                     const std::vector<PackageInfo>& packages);

/// One incompatibility as a sentence fragment, e.g. `torch 2.5.1 depends on sympy==1.13.1`.
std::string describe(const Incompatibility& incompatibility,
                     const std::vector<PackageInfo>& packages);

}  // namespace airlock::resolve

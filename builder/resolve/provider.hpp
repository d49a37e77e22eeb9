#pragma once
/// The resolver's view of an ecosystem (PyPI, conda): candidates, their dependencies and names.
/// Everything ecosystem-specific (version syntax, markers, tags, indexes) stays behind this
/// interface, as in resolvo's DependencyProvider; the engine (resolver.hpp) sees only indices.

#include <cstddef>
#include <string>
#include <vector>

namespace airlock::resolve {

/// A provider-defined package key, e.g. `torch` or `requests[socks]` (an extra is its own
/// package that depends on the base one at the same version).
using PackageId = std::string;

enum class Availability {
    ok,           ///< may be selected
    yanked,       ///< may be selected only when a root requirement (the user's own) pins it exactly
    unavailable,  ///< never selected; `reason` says why (no wheel for the target, requires-python,
                  ///< a pre-release the policy excludes…)
};

struct Candidate {
    std::string version;    ///< as displayed, e.g. `2.5.1+cu124`
    std::size_t order = 0;  ///< rank in ascending version order (ranges in explanations)
    Availability availability = Availability::ok;
    std::string reason;  ///< for yanked / unavailable candidates
    std::string hint;    ///< for unavailable ones: what the user can do (empty: a generic hint)
};

enum class DependencyKind {
    depends,     ///< the package must be selected, at a version matching `constraint`
    constrains,  ///< if the package is selected it must match `constraint`; absent is fine
                 ///< (conda's `constrains`, pip's constraints files)
};

struct Dependency {
    PackageId package;
    std::string constraint;  ///< in the provider's syntax (`>=1.2,<2`); empty means any (the
                             ///< provider decides which, e.g. no pre-releases)
    DependencyKind kind = DependencyKind::depends;
};

class Provider {
  public:
    virtual ~Provider() = default;

    /// Every known version of `package`, most preferred first (the engine picks the first
    /// selectable one). Stable for the whole resolution. Empty when the package does not exist.
    virtual std::vector<Candidate> candidates(const PackageId& package) = 0;

    /// For each candidate of `package` (same order as candidates()), whether it satisfies
    /// `constraint`.
    virtual std::vector<bool> matches(const PackageId& package, const std::string& constraint) = 0;

    /// Whether `constraint` pins one exact version (`==1.2`): in a root requirement, that allows
    /// a yanked candidate (a pin arriving through a dependency does not).
    virtual bool pins_exactly(const std::string& constraint) {
        (void)constraint;
        return false;
    }

    /// The requirements of candidate `index` of `package`.
    virtual std::vector<Dependency> dependencies(const PackageId& package, std::size_t index) = 0;

    /// Names are about to be needed: start loading them concurrently (optional).
    virtual void prefetch(const std::vector<PackageId>& packages) { (void)packages; }

    /// How `package` appears in messages.
    virtual std::string display(const PackageId& package) { return package; }

    /// Why a package has no candidates at all, e.g. "no index has a project named `foo`".
    virtual std::string describe_missing(const PackageId& package) {
        return "no package named " + display(package) + " exists";
    }

    /// What the user can do about a package no source has.
    virtual std::string hint_missing(const PackageId& package) {
        return "check the spelling of `" + display(package) +
               "`, or add the [[index]] that serves it to the manifest";
    }

    /// For a package the target fixes rather than the resolver choosing it (conda's virtual
    /// packages), what the target has, e.g. "target `linux-cu118` has __cuda=11.8"; "" for
    /// ordinary packages. Explanations cite it where the package's version decides.
    virtual std::string describe_fixed(const PackageId& package) {
        (void)package;
        return "";
    }
};

}  // namespace airlock::resolve

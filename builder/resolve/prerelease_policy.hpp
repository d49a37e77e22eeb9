#pragma once
/// Which pre-releases may be chosen (uv's `--prerelease` modes, default
/// "if-necessary-or-explicit"): a pre-release of a package is eligible when the mode allows all,
/// when a manifest requirement on that package names a pre-release in one of its clauses
/// ("explicit"; a dependency's specifier does not count), or when every published version of
/// the package is a pre-release ("if-necessary"; not merely every version in range).
/// Providers mark the others unavailable with reason() and hint(), so conflict reports and
/// `lock --explain` say why; specifier matching itself then ignores the pre-release rule.

#include "builder/manifest/prerelease_mode.hpp"
#include "core/pep508/requirement.hpp"

#include <set>
#include <string>
#include <vector>

namespace airlock::resolve {

class PrereleasePolicy {
  public:
    PrereleasePolicy() = default;
    /// `explicit_packages`: PEP 503-normalised names that a root requirement asks a pre-release
    /// of.
    PrereleasePolicy(manifest::PrereleaseMode mode, std::set<std::string> explicit_packages);

    /// From the manifest's requirements that apply to the target: a package is explicit when
    /// one of them on it has a clause naming a pre-release (`>=2.0b1`, `<1.0.dev1`, `==2.0rc1`).
    static PrereleasePolicy make(manifest::PrereleaseMode mode,
                                 const std::vector<pep508::Requirement>& roots);

    /// Whether pre-releases of `package` (normalised) may be chosen; `only_prereleases`: every
    /// published version of it is a pre-release.
    bool allows(const std::string& package, bool only_prereleases) const;

    /// Why a pre-release of `package` was left out, to follow "lib 2.0rc1 ": "is a
    /// pre-release, and …".
    std::string reason(const std::string& package) const;
    /// What the user can do to get `package` `version` (a pre-release).
    std::string hint(const std::string& package, const std::string& version) const;

    manifest::PrereleaseMode mode() const { return mode_; }

  private:
    manifest::PrereleaseMode mode_ = manifest::PrereleaseMode::if_necessary_or_explicit;
    std::set<std::string> explicit_;
};

}  // namespace airlock::resolve

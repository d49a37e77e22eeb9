#pragma once
/// PEP 440 specifier matching as installers apply it to a project's candidate list: pre-releases
/// only when a clause names one or when nothing else matches (pip's rule), exact pins for
/// yanked files (PEP 592), and the ascending order used by explanations. Shared by the PyPI
/// provider and the scenario provider.

#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"

#include <cstddef>
#include <vector>

namespace airlock::resolve {

/// For each version, whether `spec` accepts it. Pre-releases match when the spec names one,
/// or when no final release matches but some pre-release does.
std::vector<bool> match_pep440(const std::vector<pep440::Version>& versions,
                               const pep440::SpecifierSet& spec);

/// One `==V` (or `===V`) clause without a wildcard: the user asked for exactly this release,
/// which PEP 592 lets select a yanked file.
bool pins_exactly(const pep440::SpecifierSet& spec);

/// The rank of each version in ascending PEP 440 order (equal versions share no rank: ties are
/// broken by position, so the ranks are a permutation).
std::vector<std::size_t> ascending_ranks(const std::vector<pep440::Version>& versions);

}  // namespace airlock::resolve

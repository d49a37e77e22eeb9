#pragma once
/// PEP 440 specifier matching as the resolver applies it to a project's candidate list: the
/// range a specifier denotes (which pre-releases may be chosen at all is the pre-release
/// policy's job, prerelease_policy.hpp), exact pins for yanked files (PEP 592), and the
/// ascending order used by explanations. Shared by the PyPI provider and the scenario provider.

#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace airlock::resolve {

/// For each version, whether it lies in the range `spec` denotes: PEP 440's comparisons with
/// pre-releases admitted (`>=1.0` contains `2.0b1`; `<2.0` still excludes `2.0rc1`, as PEP 440
/// says). `raw` holds the versions as published (for `===`), or is empty.
std::vector<bool> match_pep440(const std::vector<pep440::Version>& versions,
                               const std::vector<std::string>& raw,
                               const pep440::SpecifierSet& spec);

/// One `==V` (or `===V`) clause without a wildcard: the user asked for exactly this release,
/// which PEP 592 lets select a yanked file.
bool pins_exactly(const pep440::SpecifierSet& spec);

/// Why a file whose Requires-Python is `requires_python` does not fit a target running
/// `python`, to follow "foo 1.0 ": "requires Python >=3.10 (the target has Python 3.9.0)". An
/// upper bound (`<=3.8`, `<3.9`, `==3.8.*`) is kept, unlike uv does: pip on the target refuses
/// such a wheel, and the message says so.
std::string requires_python_reason(const std::string& requires_python,
                                   const pep440::Version& python);

/// What to do about a package whose versions need another Python (the Candidate hint).
std::string requires_python_hint(const std::string& package, const std::string& requires_python,
                                 const pep440::Version& python);

/// The rank of each version in ascending PEP 440 order (equal versions share no rank: ties are
/// broken by position, so the ranks are a permutation).
std::vector<std::size_t> ascending_ranks(const std::vector<pep440::Version>& versions);

}  // namespace airlock::resolve

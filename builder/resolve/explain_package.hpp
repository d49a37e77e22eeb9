#pragma once
/// `airlock-build lock --explain PACKAGE`: why each version of one package was or was not chosen
/// for a target — unavailable (no wheel for the tags, Requires-Python, the pre-release policy),
/// yanked, excluded by a requirement on it, older than the chosen one, or in conflict with the
/// rest of the resolution. Reads the provider and the finished (or failed) resolution; changes
/// nothing.

#include "builder/resolve/provider.hpp"
#include "builder/resolve/resolver.hpp"

#include <string>
#include <vector>

namespace airlock::resolve {

/// One line per candidate of `package` in the provider's preference order, under a heading that
/// names what was chosen. `selections` is the resolution (empty when `solved` is false: then
/// only the root requirements are known).
std::string explain_package(Provider& provider, const std::vector<Dependency>& roots,
                            const std::vector<Selection>& selections, const PackageId& package,
                            bool solved);

}  // namespace airlock::resolve

#pragma once
/// A PEP 751 pylock.toml turned into manifest requirements (`airlock-build init --from
/// pylock.toml`): every package pinned `name==version` with its marker, its wheels' sha256 as
/// hash pins, and the indexes it names — the one most packages use first, each other one with
/// a `packages` list of what came from it, so the lock's choices are kept.

#include "builder/manifest/requirements_file.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::manifest {

struct PylockIndex {
    std::string url;
    std::vector<std::string> packages;  ///< normalised names; empty for the main index
};

struct PylockRequirements {
    RequirementsFile requirements;  ///< pinned, hashed (require_hashes set)
    std::vector<PylockIndex> indexes;
};

/// Reads `path`. Throws Error (Exit::user) naming the package that cannot become a pin.
PylockRequirements read_pylock_requirements(const std::filesystem::path& path);

}  // namespace airlock::manifest

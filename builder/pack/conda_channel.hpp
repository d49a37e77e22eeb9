#pragma once
/// The `repodata.json` files that make a bundle's `conda/` directory a valid local channel: one
/// per subdir with packages, listing exactly the bundled records of that subdir, and always
/// `conda/noarch/repodata.json` (conda reads noarch with every subdir). Deterministic
/// (core/conda/repodata_writer).

#include "core/conda/package_record.hpp"

#include <string>
#include <vector>

namespace airlock::pack {

/// A bundled conda package: its record (subdir, fn, sha256, md5, size, …) and the targets that
/// need it (empty: all).
struct ChannelPackage {
    const conda::PackageRecord* record = nullptr;
    std::vector<std::string> targets;
};

struct RepodataFile {
    std::string path;  ///< `conda/<subdir>/repodata.json`
    std::string text;
    std::vector<std::string> targets;  ///< sorted; empty: all targets
};

/// The repodata files for `packages`, sorted by path. A subdir's file is needed by the targets
/// of its packages; the noarch file, when noarch has no packages, by `conda_targets`. Nothing
/// when there are no packages and no conda targets.
std::vector<RepodataFile> channel_repodata(const std::vector<ChannelPackage>& packages,
                                           const std::vector<std::string>& conda_targets);

}  // namespace airlock::pack

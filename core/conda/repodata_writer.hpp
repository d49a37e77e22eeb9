#pragma once
/// Writes a channel subdir's `repodata.json` from records: what the bundle carries under
/// `conda/<subdir>/` so that the directory is a valid local channel (`conda install -c
/// file://…`). The output is deterministic: keys sorted, records keyed by their file name,
/// `.conda` files under `packages.conda` and `.tar.bz2` under `packages`.

#include "core/conda/package_record.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

/// `{"info":{"subdir":…},"packages":{…},"packages.conda":{…},"repodata_version":1}`, one record
/// per line. Every record needs `fn` (a valid package file name); throws airlock::Error when one
/// has none, or when two records have the same file name.
std::string write_repodata(std::string_view subdir, const std::vector<PackageRecord>& records);

}  // namespace airlock::conda

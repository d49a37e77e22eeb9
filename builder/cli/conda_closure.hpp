#pragma once
/// The conda part of what `fetch` and `build` download: every conda package of every target's
/// conda lock, once, with the targets that need it, as fetch items and as repodata records.
/// Lock files are read back from disk and may have been edited: the subdir and file name of each
/// package pass the bundle's grammars (core/bundle/checked_text, core/conda/package_filename)
/// before they name a path.

#include "builder/fetch/fetch.hpp"
#include "builder/lock/lock.hpp"
#include "core/conda/package_record.hpp"

#include <string>
#include <vector>

namespace airlock::builder {

struct CondaClosureFile {
    const lock::CondaLockedPackage* package = nullptr;
    std::vector<std::string> targets;
};

/// Every conda package of every lock, once (the same subdir and file name with the same sha256
/// in several targets merge), sorted by `subdir/file`. Throws Error when two targets lock
/// different bytes under one name, or when a name is not a valid conda subdir or file name.
std::vector<CondaClosureFile> conda_closure_files(const std::vector<lock::TargetLock>& locks);

/// The download of each package (sha256, or md5 when the record has no sha256, and size checked
/// while streaming), in the same order; `folder` is `conda/<subdir>`. Throws Error for a package
/// with neither digest.
std::vector<fetch::FetchItem> conda_fetch_items(const std::vector<CondaClosureFile>& files);

/// The repodata record of a locked package (name, version, build, subdir, depends, constrains,
/// size, sha256, md5, noarch, fn, url, channel), validated. Throws Error naming the package.
conda::PackageRecord conda_record(const lock::CondaLockedPackage& package);

}  // namespace airlock::builder

#pragma once
/// Creates a conda environment from package files with no conda and no network: every package
/// extracted and checked against its `info/paths.json`, its files placed per the list
/// (placeholders replaced, long shebangs shortened, modes kept), `noarch: python` packages
/// mapped into the environment's Python with their entry points written and byte-compiled by
/// that Python, and `conda-meta/` written so conda, mamba and micromamba see their own
/// environment. Everything is built in a temporary directory next to the destination and
/// renamed into place at the end: a failure leaves nothing.
///
/// With `update`, the destination is an existing environment instead: the packages it holds
/// (conda-meta/) that the new list has with the same name-version-build and sha256 stay untouched,
/// the others are removed and the new ones built in the staging tree beside it, then everything
/// is swapped in under a journal (prefix_journal.hpp): a failure leaves the prefix as it was.

#include <cstdint>
#include "core/base/phase_progress.hpp"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install {
class InstallJournal;
}

namespace airlock::install::conda {

struct CondaPackage {
    std::filesystem::path file;  ///< a `.conda` or `.tar.bz2`
    std::string channel;         ///< recorded in conda-meta (name or URL; may be empty)
    std::string url;             ///< recorded in conda-meta (may be empty)
    std::string requested_spec;  ///< the spec that asked for it, or empty
    std::string sha256;          ///< of the file, when known (computed otherwise)
    std::string md5;             ///< of the file, when known (left out otherwise)
};

struct PrefixOptions {
    std::filesystem::path prefix;  ///< must not exist, or be an empty directory (see update)
    /// The prefix is an existing conda environment (conda-meta/): replace only what changes.
    bool update = false;
    std::vector<CondaPackage> packages;            ///< in install order (dependencies first)
    std::optional<std::filesystem::path> tmp_dir;  ///< default: the prefix's parent
    std::string command;                           ///< for conda-meta/history
    std::vector<std::string> specs;                ///< the requested specs, for conda-meta/history
    /// Runs in the finished environment before it is kept (the pip part of a mixed bundle); an
    /// Error from it removes the environment like any other failure.
    std::function<void(const std::filesystem::path& prefix)> before_commit;
    /// The durable journal of the install (install_journal.hpp), or none (conda-prefix): its
    /// temporary tree and, with update, every move is recorded there before it is made.
    InstallJournal* journal = nullptr;
    /// Told the package being extracted and linked (`linking 3/12 numpy`); may be null.
    PhaseProgress* progress = nullptr;
};

struct PrefixSummary {
    std::size_t packages = 0;   ///< installed (with update: added or replaced)
    std::size_t removed = 0;    ///< with update: packages taken out (replaced ones included)
    std::size_t unchanged = 0;  ///< with update: packages left as they were
    std::size_t files = 0;      ///< paths recorded in conda-meta (files, links, pyc, scripts)
};

/// Installs `options.packages` into `options.prefix`, printing progress to `out` and warnings
/// (clobbered paths, post-link scripts not run) to `err`. Throws Error, leaving nothing behind
/// (with update: the prefix as it was).
PrefixSummary install_prefix(const PrefixOptions& options, std::ostream& out, std::ostream& err);

}  // namespace airlock::install::conda

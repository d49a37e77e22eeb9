#pragma once
/// `airlock-install install`: verify a signed bundle, unpack it safely next to the destination
/// while hashing, and install one target with pip (`--no-index --require-hashes`, isolated from
/// the host's pip configuration) into a venv or an interpreter; all or nothing.

#include "core/bundle/reader.hpp"
#include "installer/install/rollback_state.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install {

enum class DryRun { no, yes };

struct InstallOptions {
    std::filesystem::path bundle;
    std::vector<std::filesystem::path> keys;
    std::optional<std::filesystem::path> trust_dir;
    std::optional<std::filesystem::path> venv;    ///< created when it does not exist
    std::optional<std::filesystem::path> python;  ///< the interpreter (or the venv's base)
    std::optional<std::string> target;            ///< default: the one that fits the host
    DryRun dry_run = DryRun::no;
    bundle::AllowUnsigned allow_unsigned = bundle::AllowUnsigned::no;
    Downgrade downgrade = Downgrade::refuse;
    std::optional<std::filesystem::path> state_file;  ///< default: default_state_file()
    std::optional<std::filesystem::path> tmp_dir;     ///< default: next to the venv / $TMPDIR
};

/// Runs the whole install, printing progress and pip's output to `out`/the terminal and warnings
/// to `err`. Throws Error (nothing left behind: the temporary tree and a venv it created are
/// removed) when anything fails.
void install(const InstallOptions& options, std::ostream& out, std::ostream& err);

/// The pip command line (exposed for tests and the dry-run plan).
std::vector<std::string> pip_command(const std::filesystem::path& python,
                                     const std::filesystem::path& wheels,
                                     const std::filesystem::path& requirements);

}  // namespace airlock::install

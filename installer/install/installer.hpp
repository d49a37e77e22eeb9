#pragma once
/// `airlock-install install`: verify a signed bundle, pick the target, check the host, unpack the
/// bundle safely next to the destination while hashing, then hand the unpacked tree to a backend
/// (pip into a venv or interpreter: venv_backend.hpp; a conda prefix:
/// installer/conda/prefix_backend.hpp); all or nothing.

#include "core/base/phase_progress.hpp"
#include "core/bundle/reader.hpp"
#include "installer/install/backend.hpp"
#include "installer/install/rollback_state.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install {

enum class DryRun { no, yes };
/// How --dry-run prints the plan: text for people, JSON (`--json`) for scripts.
enum class PlanFormat { text, json };

struct InstallOptions {
    std::filesystem::path bundle;
    std::vector<std::filesystem::path> keys;
    std::optional<std::filesystem::path> trust_dir;
    std::optional<std::string> target;  ///< default: the one that fits the host
    DryRun dry_run = DryRun::no;
    PlanFormat plan_format = PlanFormat::text;
    bundle::AllowUnsigned allow_unsigned = bundle::AllowUnsigned::no;
    Downgrade downgrade = Downgrade::refuse;
    std::optional<std::filesystem::path> state_file;  ///< default: default_state_file()
    std::optional<std::filesystem::path> tmp_dir;     ///< default: backend.temp_parent()
    /// The `verify` and `install` progress lines on stderr; quiet also quiets pip (-q).
    ProgressMode progress = ProgressMode::quiet;
};

/// Runs the whole install with `backend` doing the last step, printing progress to `out` and
/// warnings to `err`. Throws Error (nothing left behind: the temporary tree and whatever the
/// backend created are removed) when anything fails.
void install(const InstallOptions& options, Backend& backend, std::ostream& out, std::ostream& err);

}  // namespace airlock::install

#pragma once
/// What differs between installing a bundle into a pip environment (a venv or an interpreter)
/// and into a conda prefix: the choice of target, the destination checks and the last step.
/// Everything else — signature, every hash, unpacking, the rollback state — is shared
/// (installer.hpp).

#include "core/base/phase_progress.hpp"
#include "core/bundle/bundle_manifest.hpp"
#include "installer/host/target_match.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install {

class InstallJournal;

/// A bundle verified and unpacked into `root` (every file's size and sha256 checked).
struct UnpackedBundle {
    const bundle::BundleManifest& manifest;
    const bundle::BundleTarget& target;
    std::filesystem::path root;
    /// The durable journal of this install (install_journal.hpp); null for an interpreter
    /// (`--python`), which is not journaled.
    InstallJournal* journal = nullptr;
    /// The `install` phase's progress line (null: none); its mode says how pip should speak.
    PhaseProgress* progress = nullptr;
};

class Backend {
  public:
    virtual ~Backend() = default;

    /// Refuses a destination this backend cannot install into (before the bundle is read).
    virtual void check_destination() const = 0;
    /// Picks the target to install (`wanted` when given) and checks that this host and the
    /// destination can take it. Writes nothing; warnings go to `err`.
    virtual const bundle::BundleTarget& choose(const bundle::BundleManifest& manifest,
                                               const std::optional<std::string>& wanted,
                                               host::HasGpu gpu, std::ostream& err) = 0;
    /// The directory to unpack into when no --tmp-dir is given (the destination's filesystem).
    virtual std::filesystem::path temp_parent() const = 0;
    /// "with CPython 3.12.1 (…)" for the progress line.
    virtual std::string describe_tool() const = 0;
    /// The directory the install changes, absolute (journaled and recovered: install_journal.hpp),
    /// or nullopt when it is not one airlock owns (an interpreter given with --python).
    virtual std::optional<std::filesystem::path> journaled_destination() const = 0;
    /// The destination as the last line names it.
    virtual std::string destination() const = 0;
    /// The plan's lines about the destination ("  venv: …"), for --dry-run.
    virtual void plan_destination(std::ostream& out) const = 0;
    /// The plan's steps between unpacking into `unpacked` and recording the state.
    virtual std::vector<std::string> plan_steps(const bundle::BundleManifest& manifest,
                                                const bundle::BundleTarget& target,
                                                const std::filesystem::path& unpacked) const = 0;
    /// The last step: installs `bundle.target` from the unpacked tree, recording each change of
    /// the destination in `bundle.journal` before making it. Throws Error leaving the
    /// destination as it was (what this step created is removed).
    virtual void install(const UnpackedBundle& bundle, std::ostream& out, std::ostream& err) = 0;
};

}  // namespace airlock::install

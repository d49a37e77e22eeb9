#pragma once
/// What `lock`, `fetch` and `build` read: a manifest, and/or `--requirements FILE`
/// (repeatable), `--environment environment.yml`, `--pylock pylock.toml` and
/// `--add-target NAME:PLATFORM:PYTHON[:CUDA]` (repeatable).

#include "builder/lock/lock.hpp"
#include "builder/manifest/composed_manifest.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace airlock::builder {

struct InputFlags {
    std::string manifest;
    std::vector<std::string> requirements;
    std::string environment;
    std::string pylock;
    std::vector<std::string> add_targets;
    std::string bundle_name;     ///< --bundle-name (build only)
    std::string bundle_version;  ///< --bundle-version (build only)

    /// Registers the optional MANIFEST argument and the input flags on `cmd`.
    void add_to(CLI::App* cmd);
    /// Registers --bundle-name and --bundle-version on `cmd` (`build`: they name the bundle).
    void add_bundle_flags_to(CLI::App* cmd);
    /// `--pylock` with `--lock DIR`: both give the packages. Throws Error (usage).
    void check_lock_dir(const std::string& lock_dir) const;
    manifest::InputFiles files() const;
    /// How the inputs are named in messages (`manifest.toml`, `requirements.txt`, ...).
    std::string describe() const;
    /// The manifest they amount to, with `defaults` (pip's and conda's settings, the command
    /// line's indexes). Throws Error (no input at all is a usage error).
    manifest::Manifest load(const manifest::ManifestDefaults& defaults = {}) const;
};

}  // namespace airlock::builder

#pragma once
/// The manifest the command line amounts to: a manifest file, or none, plus
/// `--requirements FILE` (repeatable), `--environment environment.yml` and `--add-target`
/// (repeatable). They become manifest TOML text — the same text `airlock-build init` writes,
/// comments included — which is then read as any manifest, so a requirements file and the
/// equivalent manifest give the same lock. Appended parts keep a manifest's own line numbers;
/// messages about requirements point at the requirements file.

#include "builder/manifest/manifest.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::manifest {

struct InputFiles {
    std::filesystem::path manifest;  ///< empty: none
    std::vector<std::filesystem::path> requirements;
    std::filesystem::path environment;     ///< empty: none
    std::vector<std::string> add_targets;  ///< `--add-target` values
    /// `init --from pylock.toml`: its packages become pinned, hashed requirements.
    std::filesystem::path pylock_pins;
    /// `--pylock FILE`: the packages come from that lock, so the manifest needs no [python] or
    /// [conda] (and may not have [python]: the packages would be named twice).
    std::filesystem::path pylock;
    /// `--bundle-name`, `--bundle-version`: the bundle's name and version, over the manifest's
    /// [bundle] (or the environment's `name`, or "bundle" 1.0.0). Empty: not given.
    std::string bundle_name;
    std::string bundle_version;
    /// Requirements without index options get pip's default index (PyPI) as an [[index]];
    /// false when pip's settings or the command line give the indexes (load_inputs decides).
    bool default_index = true;
    /// .condarc gives channels: an environment.yml without `channels` uses them (load_inputs
    /// decides).
    bool condarc_channels = false;
};

struct ComposedManifest {
    std::string text;            ///< manifest TOML
    std::filesystem::path path;  ///< the manifest file, or the first input file (for messages)
    /// Where each generated [python] requirement / constraint came from, in array order.
    std::vector<SourceLocation> requirement_origins;
    std::vector<SourceLocation> constraint_origins;
    /// Where each [conda] channel the environment file gives came from, `defaults` left out
    /// (the manifest expands it into .condarc's default_channels, which carry their own).
    std::vector<SourceLocation> channel_origins;
    std::size_t own_requirements = 0;  ///< requirements the manifest file itself lists
};

/// How the inputs are named in messages: `manifest.toml`, `requirements.txt`, or
/// `requirements.txt and environment.yml`.
std::string describe_inputs(const InputFiles& inputs);

/// Reads the inputs into manifest text. `starter`: when no target is given, write an example
/// one (for `init`) instead of failing. Throws Error (Exit::user) on any problem.
ComposedManifest compose_manifest(const InputFiles& inputs, bool starter = false);

/// compose_manifest, then parse_manifest of the text with `defaults` (user_settings.hpp).
/// Throws Error.
Manifest load_inputs(const InputFiles& inputs, const ManifestDefaults& defaults = {});

}  // namespace airlock::manifest

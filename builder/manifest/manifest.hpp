#pragma once
/// The airlock manifest (TOML v1.0): what to bundle, for which targets, from which indexes.
///
/// ```toml
/// [bundle]   name, version
/// [[target]] name, python, platform, implementation?, cuda?, subdir?
/// [[index]]  name, url, mirrors?, packages?      # `${VAR}` expands in url and mirrors;
///                                                # user:password@ is split off (never written)
/// [[index]]  name, find_links, packages?         # a flat folder of wheels, or an HTML page of
///                                                # links (pip's and uv's --find-links)
/// [python]   requirements = [...], prereleases? = "if-necessary-or-explicit",
///            constraints? = [...], hashes? = { name = ["sha256:<hex>", ...] }
/// [conda]    channels, specs, channel_alias?, custom_channels?, mirrors?, channel_priority?
///            (channels, channel_alias, custom_channels default to .condarc's: condarc.hpp)
/// ```
/// A manifest has [python], [conda] or both.
/// Every problem is reported as `file:line:col`, the line and a caret, and says what to do.

#include "builder/manifest/prerelease_mode.hpp"
#include "builder/net/credential_store.hpp"
#include "core/base/source_excerpt.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

struct Bundle {
    std::string name;
    std::string version;
    SourceLocation where;
};

struct TargetSpec {
    std::string name;            ///< [A-Za-z0-9._-]+, unique; used in file names
    std::string python;          ///< "3.12" (or "3.12.4")
    std::string platform;        ///< a wheel platform tag: manylinux_2_28_x86_64, win_amd64, ...
    std::string implementation;  ///< "cpython" (default) or "pypy"; `cp`/`pp` accepted as aliases
    std::optional<std::string> cuda;    ///< "12.4"
    std::optional<std::string> subdir;  ///< conda subdir when given ("linux-64")
    SourceLocation where;
};

/// A root URL (an index or one of its mirrors) and the `user:password@` it was written with.
struct RootCredentials {
    std::string root;
    net::Credentials credentials;
};

enum class IndexKind {
    simple,      ///< a PEP 503 / PEP 691 simple repository: `url/<project>/`
    find_links,  ///< `url` is a flat folder (file://) or an HTML page linking files directly
};

struct IndexSpec {
    std::string name;  ///< unique
    IndexKind kind = IndexKind::simple;
    std::string url;                    ///< `${VAR}` expanded, credential-free; no trailing slash
    std::vector<std::string> mirrors;   ///< equivalent roots, tried in order when `url` fails
    std::vector<std::string> packages;  ///< PEP 503-normalised; when set, the ONLY source of these
    /// The credentials `url` and `mirrors` carried: in memory only, sent to those servers.
    std::vector<RootCredentials> credentials;
    SourceLocation where;
    /// Where the index came from when the manifest does not list it: `--index-url`,
    /// `PIP_INDEX_URL`, `/etc/pip.conf:3 [global]`; empty for a manifest [[index]].
    std::string origin;
};

struct PythonSpec {
    std::vector<std::string> requirements;  ///< PEP 508 strings as written
    std::vector<SourceLocation> where;      ///< one per requirement
    /// PEP 508 strings that limit versions without requiring the package (pip's `-c`).
    std::vector<std::string> constraints;
    std::vector<SourceLocation> constraint_where;  ///< one per constraint
    /// Hash pins (pip's `--hash`): normalised name → the sha256 digests (lower-case hex) its file
    /// may have. When not empty, every package of the lock needs an entry (pip's hash-checking
    /// mode) and the wheel chosen must have one of its digests.
    std::map<std::string, std::vector<std::string>> hashes;
    /// When pre-releases may be chosen (uv's modes and default).
    PrereleaseMode prereleases = PrereleaseMode::if_necessary_or_explicit;
    /// The whole [python] table as canonical TOML (sorted keys): what a lock is resolved from.
    std::string canonical;
};

enum class ChannelPriority { strict, flexible };

/// One conda channel, resolved to its URL (no trailing slash): a name under `channel_alias` or
/// its `custom_channels` root, or a full URL as written. `defaults` stands for the
/// `default_channels` (.condarc's, else conda's: repo.anaconda.com/pkgs/main and pkgs/r).
struct CondaChannel {
    std::string name;                  ///< as written: `conda-forge`, or the URL
    std::string url;                   ///< `https://conda.anaconda.org/conda-forge`
    std::vector<std::string> mirrors;  ///< the same channel elsewhere, tried in order
    SourceLocation where;
};

struct CondaSpec {
    std::vector<CondaChannel> channels;  ///< in priority order (first = highest)
    std::string channel_alias = "https://conda.anaconda.org";
    /// Where `channel_alias` came from when not the manifest (a .condarc line); "" otherwise.
    std::string channel_alias_origin;
    ChannelPriority channel_priority = ChannelPriority::strict;
    std::vector<std::string> specs;     ///< MatchSpec strings as written
    std::vector<SourceLocation> where;  ///< one per spec
    SourceLocation section;
    /// The credentials channel, alias, custom channel and mirror URLs carried (memory only).
    std::vector<RootCredentials> credentials;
};

struct Manifest {
    std::filesystem::path path;
    Bundle bundle;
    std::vector<TargetSpec> targets;
    std::vector<IndexSpec> indexes;
    PythonSpec python;               ///< empty requirements when there is no [python]
    std::optional<CondaSpec> conda;  ///< when the manifest has [conda]
};

/// Looks up an environment variable for `${NAME}` expansion; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// A value from a settings file (or a variable: `where.file` is its name, line 0) and its place.
struct SettingText {
    std::string text;
    SourceLocation where;
};

/// conda's settings (condarc.hpp) for a [conda] that omits them.
struct CondaDefaults {
    std::vector<SettingText> channels;                   ///< when [conda] has no `channels`
    std::optional<SettingText> channel_alias;            ///< when [conda] has no `channel_alias`
    std::map<std::string, SettingText> custom_channels;  ///< when it has no `custom_channels`
    std::vector<SettingText> default_channels;           ///< what the channel `defaults` stands for
};

/// What the manifest falls back on, or is overridden by (user_settings.hpp fills it).
struct ManifestDefaults {
    /// Used when the manifest has no [[index]] (pip's index-url, extra-index-url, find-links).
    std::vector<IndexSpec> indexes;
    /// When not empty, replace the manifest's [[index]] list (the command line's).
    std::vector<IndexSpec> override_indexes;
    /// Asked before every other index (the command line's --find-links).
    std::vector<IndexSpec> find_links;
    CondaDefaults conda;
};

/// The process environment (std::getenv).
std::optional<std::string> process_env(std::string_view name);

/// Reads and validates a manifest file. Throws airlock::Error (Exit::user) on any problem; a
/// requirements file, environment.yml or pylock.toml given instead gets a hint naming its flag.
/// `defaults`: pip's and conda's settings, and the command line's indexes.
Manifest load_manifest(const std::filesystem::path& path, const ManifestDefaults& defaults = {});

/// Whether a manifest must say what to bundle ([python] or [conda]); `optional` when the
/// packages come from elsewhere (`--pylock`).
enum class Packages { required, optional };

/// Parses manifest text; `path` is used in messages and to resolve relative `find_links`
/// folders. `env` resolves `${NAME}`.
Manifest parse_manifest(std::string_view text, const std::filesystem::path& path,
                        const EnvLookup& env = process_env, Packages packages = Packages::required,
                        const ManifestDefaults& defaults = {});

}  // namespace airlock::manifest

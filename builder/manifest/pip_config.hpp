#pragma once
/// pip's configuration as pip itself reads it (pip's "Configuration" documentation and
/// pip/_internal/configuration.py): INI files and `PIP_*` variables, for the settings airlock
/// takes over: index-url, extra-index-url, find-links, no-index, trusted-host, cert, timeout,
/// retries.
///
/// Files, later ones overriding earlier ones: global (`pip/pip.conf` under each of
/// $XDG_CONFIG_DIRS, default /etc/xdg, then /etc/pip.conf), user (~/.pip/pip.conf, then
/// $XDG_CONFIG_HOME/pip/pip.conf, default ~/.config; skipped when $PIP_CONFIG_FILE names an
/// existing file), site ($VIRTUAL_ENV/pip.conf), then $PIP_CONFIG_FILE. `PIP_CONFIG_FILE=/dev/null`
/// loads no file at all. Within the result, a section's value overrides [global]'s ([install],
/// then [download]), and a `PIP_<NAME>` variable overrides both.

#include "builder/manifest/manifest.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

/// One setting's value and where it came from.
struct PipValue {
    std::vector<std::string> items;  ///< whitespace-separated words (one for single values)
    std::string origin;              ///< `/etc/pip.conf:3 [global]` or `PIP_INDEX_URL`
    std::string text;                ///< the value as written (joined lines)
};

struct PipConfig {
    /// Setting name (`index-url`, `extra-index-url`, `find-links`, `no-index`, `trusted-host`,
    /// `cert`, `timeout`, `retries`) → its effective value.
    std::map<std::string, PipValue> values;
    std::vector<std::filesystem::path> files;  ///< the files read, in order

    const PipValue* get(std::string_view name) const;
};

/// The setting names airlock reads (the keys of PipConfig::values).
const std::vector<std::string>& pip_setting_names();

/// The configuration files pip would read, in load order (existing or not).
std::vector<std::filesystem::path> pip_config_files(const EnvLookup& env);

/// One INI file's settings: {section, name} → value, names normalised as pip does (lower case,
/// `_` → `-`, `default-timeout` → `timeout`). Throws Error (file:line) on a malformed line.
struct PipFileValue {
    std::string text;
    std::size_t line = 0;
};
std::map<std::pair<std::string, std::string>, PipFileValue> parse_pip_config_file(
    std::string_view text);

/// pip's effective settings from the files and the environment.
PipConfig read_pip_config(const EnvLookup& env);

}  // namespace airlock::manifest

#pragma once
/// conda's configuration files (`.condarc`, YAML), for the settings airlock takes over:
/// `channels`, `channel_alias`, `custom_channels`, `default_channels`. The files are conda's
/// search path (conda/base/constants.py SEARCH_PATH, documented under "Searching for .condarc"):
///
///   /etc/conda/{.condarc,condarc,condarc.d/}  /var/lib/conda/{…}  $CONDA_ROOT/{…}
///   $XDG_CONFIG_HOME/conda/{…}  ~/.config/conda/{…}  ~/.conda/{…}  ~/.condarc
///   $CONDA_PREFIX/{…}  $CONDARC
///
/// (a `condarc.d/` gives its `*.yml`/`*.yaml` files in name order). As conda merges them: lists
/// merge with later files' entries first (duplicates dropped), maps merge with later keys
/// winning, a scalar from a later file wins; `CONDA_CHANNELS` (comma-separated),
/// `CONDA_CHANNEL_ALIAS` and `CONDA_DEFAULT_CHANNELS` override every file.

#include "builder/manifest/manifest.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

struct CondaRc {
    CondaDefaults settings;                    ///< values with their file, line and column
    std::vector<std::filesystem::path> files;  ///< the files read, in order
};

/// The search path, expanded (`~`, variables; entries with an unset variable dropped), in order.
std::vector<std::filesystem::path> condarc_search_path(const EnvLookup& env);

/// One file's settings. Throws Error (file:line:col) on invalid YAML or a setting of the wrong
/// shape (`channels` not a list of strings, ...); other keys are ignored.
CondaRc parse_condarc(std::string_view text, const std::filesystem::path& path);

/// Every file of the search path that exists, merged, then the CONDA_* variables.
CondaRc read_condarc(const EnvLookup& env);

}  // namespace airlock::manifest

#pragma once
/// The flags `lock`, `fetch` and `build` share about where settings come from: --verbose (show
/// each setting and its origin), --isolated, --index-url, --extra-index-url, --find-links; and
/// loading the manifest with the settings users already have (manifest/user_settings.hpp).

#include "builder/cli/input_flags.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/manifest/user_settings.hpp"
#include "builder/net/request_setup.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace airlock::builder {

struct LoadedManifest {
    manifest::Manifest manifest;
    manifest::UserSettings settings;
    net::NetworkOptions network;  ///< CA bundle, timeout, trusted hosts, every credential
};

/// `--verbose`: each setting and its origin on stderr, under `heading`.
void print_settings(const std::string& heading, const std::vector<manifest::SettingLine>& lines);

struct SettingsFlags {
    bool verbose = false;
    bool isolated = false;
    std::string index_url;
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links;

    void add_to(CLI::App* cmd);

    /// Reads pip's and conda's settings and .netrc, loads the manifest the inputs amount to with
    /// them and, with --verbose, prints every setting and its origin to stderr. `cert`,
    /// `retries`, `timeout`: the command line's.
    LoadedManifest load(const InputFlags& inputs, const std::string& cert,
                        std::optional<int> retries = std::nullopt,
                        std::optional<int> timeout = std::nullopt) const;
};

}  // namespace airlock::builder

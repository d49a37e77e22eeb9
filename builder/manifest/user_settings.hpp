#pragma once
/// The settings users already have — pip's configuration (pip_config.hpp), conda's (condarc.hpp),
/// `.netrc` (builder/net/netrc.hpp) — and the command line, gathered once with where each came
/// from, so `--verbose` can show them and the manifest can be loaded with them.
///
/// Precedence, highest first: the command line; the manifest; `PIP_*` variables; pip's files.
/// pip's index-url, extra-index-url and find-links are used only when the manifest has no
/// [[index]] (the command line's --index-url, --extra-index-url and --find-links replace the
/// manifest's); cert, timeout, retries and trusted-host apply to every request unless the
/// command line sets them. .condarc's channels, channel_alias and custom_channels are used for a
/// [conda] that omits them; CONDA_CHANNELS, CONDA_CHANNEL_ALIAS override the files.

#include "builder/manifest/manifest.hpp"
#include "builder/net/netrc.hpp"
#include "builder/net/request_setup.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace airlock::manifest {

/// What the command line says about the same settings.
struct CommandLineSettings {
    std::string index_url;                      ///< --index-url
    std::vector<std::string> extra_index_urls;  ///< --extra-index-url
    std::vector<std::string> find_links;        ///< --find-links
    std::string cert;                           ///< --cert
    std::optional<int> retries;                 ///< --retries, when given
    std::optional<int> timeout;                 ///< --stall-timeout, when given
    bool isolated = false;  ///< --isolated: no pip.conf, PIP_*, .condarc, CONDA_*, .netrc
    bool conda = true;      ///< read .condarc (`download` has no channels: false)
};

/// One effective setting, for `--verbose`.
struct SettingLine {
    std::string name;    ///< `index-url`, `cert`, `credentials`, ...
    std::string value;   ///< credential-free
    std::string origin;  ///< `--cert`, `PIP_CERT`, `/etc/pip.conf:2 [global]`, `the manifest`
};

struct UserSettings {
    ManifestDefaults defaults;  ///< indexes from pip's settings and from the command line
    std::filesystem::path cert;
    std::string cert_origin;
    std::optional<int> retries;
    std::string retries_origin;
    std::optional<std::chrono::seconds> timeout;
    std::string timeout_origin;
    std::vector<std::string> trusted_hosts;
    std::string trusted_hosts_origin;
    std::vector<net::NetrcEntry> netrc;
};

/// Reads pip's and conda's configuration and `.netrc` (unless `isolated`) and combines them with
/// the command line. Throws Error naming the file or variable of a malformed value.
UserSettings read_user_settings(const CommandLineSettings& command_line, const EnvLookup& env);

/// `base` (the command line's network options) with what the settings give: the CA bundle,
/// pip's timeout (stall and connect timeouts) and retries, trusted hosts, and one credential
/// store (the URLs' credentials, then `.netrc`'s per host).
net::NetworkOptions network_options(const Manifest& manifest, const UserSettings& settings,
                                    net::NetworkOptions base = {});

/// The effective settings and their origins, in a fixed order: indexes, conda channels, cert,
/// timeout, retries, trusted hosts, and the `.netrc` entries that serve the manifest's hosts
/// (the host and the file, never the login or password).
std::vector<SettingLine> describe_settings(const Manifest& manifest, const UserSettings& settings);

}  // namespace airlock::manifest

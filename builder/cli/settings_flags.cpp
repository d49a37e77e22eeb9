#include "builder/cli/settings_flags.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"

#include <algorithm>
#include <iostream>

namespace airlock::builder {

void SettingsFlags::add_to(CLI::App* cmd) {
    cmd->add_flag("-v,--verbose", verbose,
                  "print every setting in effect (indexes, channels, cert, timeout, retries, "
                  "trusted hosts, .netrc hosts) and where it came from");
    cmd->add_flag("--isolated", isolated,
                  "ignore pip's configuration files, PIP_* variables and .netrc (as pip "
                  "--isolated)");
    cmd->add_option("--index-url", index_url,
                    "the simple index to use instead of the manifest's [[index]] list (and "
                    "pip's index-url)")
        ->type_name("URL");
    cmd->add_option("--extra-index-url", extra_index_urls,
                    "another simple index, asked after --index-url (repeatable)")
        ->type_name("URL");
    cmd->add_option("--find-links", find_links,
                    "a folder of wheels or an HTML page of links, asked before every index "
                    "(repeatable)")
        ->type_name("PATH|URL");
}

LoadedManifest SettingsFlags::load(const InputFlags& inputs, const std::string& cert,
                                   std::optional<int> retries, std::optional<int> timeout) const {
    manifest::CommandLineSettings command_line;
    command_line.index_url = index_url;
    command_line.extra_index_urls = extra_index_urls;
    command_line.find_links = find_links;
    command_line.cert = cert;
    command_line.retries = retries;
    command_line.timeout = timeout;
    command_line.isolated = isolated;
    LoadedManifest loaded;
    loaded.settings = within("reading the settings pip and .netrc give", [&] {
        return manifest::read_user_settings(command_line, manifest::process_env);
    });
    loaded.manifest = inputs.load(loaded.settings.defaults);
    loaded.network = manifest::network_options(loaded.manifest, loaded.settings);
    if (verbose)
        print_settings("settings (command line > manifest > PIP_* > pip.conf)",
                       manifest::describe_settings(loaded.manifest, loaded.settings));
    return loaded;
}

void print_settings(const std::string& heading, const std::vector<manifest::SettingLine>& lines) {
    std::size_t width = 0;
    for (const auto& line : lines)
        width = std::max(width, line.name.size());
    std::cerr << heading << ":\n";
    for (const auto& line : lines) {
        std::cerr << "  " << line.name << std::string(width - line.name.size() + 2, ' ')
                  << terminal_text(line.value) << "  (from " << terminal_text(line.origin) << ")\n";
    }
}

}  // namespace airlock::builder

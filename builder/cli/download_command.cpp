#include "builder/cli/app.hpp"
#include "builder/cli/fetch_flags.hpp"
#include "builder/cli/settings_flags.hpp"
#include "builder/fetch/download_list.hpp"
#include "builder/fetch/wheelhouse.hpp"
#include "builder/manifest/user_settings.hpp"
#include "builder/net/credential_store.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <map>
#include <memory>

namespace airlock::builder {
namespace {

struct DownloadArgs {
    std::string list;
    std::string output;
    FetchFlags flags;
    bool verbose = false;
    bool isolated = false;
};

void run_download(const DownloadArgs& args) {
    args.flags.check();
    // pip's cert, timeout and retries (pip.conf, PIP_*) as lock/fetch/build read them; the
    // command line's flags win. No indexes or channels: the list gives the URLs.
    manifest::CommandLineSettings command_line;
    command_line.cert = args.flags.cert;
    command_line.retries = args.flags.given_retries();
    command_line.timeout = args.flags.given_stall_timeout();
    command_line.isolated = args.isolated;
    command_line.conda = false;
    auto settings = within("reading the settings pip and .netrc give", [&] {
        return manifest::read_user_settings(command_line, manifest::process_env);
    });
    if (args.verbose)
        print_settings("settings (command line > PIP_* > pip.conf)",
                       manifest::describe_settings(manifest::Manifest{}, settings));
    auto text = read_file(args.list, "the download list",
                          "LIST is a text file of `URL [MIRROR…] [sha256=HEX] [size=N]` lines");
    auto items = fetch::parse_download_list(text, args.list);
    // A `user:password@` in the list is kept in memory for its server, never in a URL.
    auto credentials = std::make_shared<net::CredentialStore>();
    for (auto& item : items) {
        for (auto& url : item.urls) {
            std::optional<net::Credentials> secret;
            auto parsed = net::Url::parse(url, &secret);
            if (secret)
                credentials->add(parsed, std::move(*secret));
            url = parsed.str();
        }
    }
    // ~/.netrc ($NETRC) for the servers the list gives no credentials for.
    net::add_netrc(*credentials, settings.netrc);
    std::map<std::string, const fetch::FetchItem*> by_name;
    for (const auto& item : items) {
        auto [it, fresh] = by_name.emplace(item.filename, &item);
        if (!fresh && it->second->sha256 != item.sha256) {
            throw Error("two different files are both named " + quote(item.filename) + " in " +
                        quote(args.list))
                .with_hint("the output directory is flat: give each file a distinct name");
        }
    }
    auto options = args.flags.options();
    options.network = manifest::network_options(manifest::Manifest{}, settings, options.network);
    options.network.credentials = credentials;
    auto report = fetch::fetch_each(items, options);
    // Every file that verified goes to DIR, even when others failed: a rerun fetches only those.
    std::vector<fetch::FetchItem> good_items;
    std::vector<fetch::Fetched> good;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (report.fetched[i].blob.empty())
            continue;
        good_items.push_back(items[i]);
        good.push_back(report.fetched[i]);
    }
    if (!good.empty() || report.ok())
        fetch::write_wheelhouse(good_items, good, args.output);
    if (!report.ok()) {
        throw report.error(
            std::to_string(good.size()) + " verified " +
            (good.size() == 1 ? "file is" : "files are") + " in " + quote(args.output) +
            "; run the same command again to retry the others (finished parts are resumed)");
    }
}

}  // namespace

void add_download_command(CLI::App& app) {
    auto args = std::make_shared<DownloadArgs>();
    auto* cmd = app.add_subcommand(
        "download",
        "Download the files listed in LIST into DIR, verified (sha256, size) and through the "
        "cache: many files at once, large files in range segments, resumable.");
    cmd->footer(
        "Example:\n  airlock-build download files.txt -o downloads/   # lines: URL [MIRROR…] "
        "[sha256=HEX] [size=N]");
    cmd->add_option("LIST", args->list,
                    "text file, one line per file: URL [MIRROR_URL...] [sha256=HEX] [size=N]")
        ->required();
    cmd->add_option("-o,--output", args->output, "directory to write the files into")->required();
    args->flags.add_to(cmd);
    cmd->add_flag("-v,--verbose", args->verbose,
                  "print the settings in effect (cert, timeout, retries, trusted hosts) and where "
                  "each came from (pip.conf, PIP_*, the command line)");
    cmd->add_flag("--isolated", args->isolated,
                  "ignore pip's configuration files, PIP_* variables and .netrc (as pip "
                  "--isolated)");
    cmd->callback([args] {
        within("downloading the files in " + quote(args->list), [&] { run_download(*args); });
    });
}

}  // namespace airlock::builder

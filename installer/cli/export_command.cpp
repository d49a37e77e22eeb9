#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "installer/export/exporter.hpp"

#include <iostream>

namespace airlock::installer {
namespace {

struct ExportArgs {
    std::string bundle;
    std::vector<std::string> keys;
    std::string trust_dir;
    std::string to;
    bool allow_unsigned = false;
    bool allow_downgrade = false;
};

}  // namespace

void add_export_command(CLI::App& app) {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand(
        "export",
        "Verify a bundle and write its wheels as a static PEP 503 index (simple/, files/, "
        "README.txt) that nginx, Apache, Artifactory or Nexus serve as-is; machines then install "
        "with `pip install --index-url http://…/simple`.");
    cmd->footer(
        "Example:\n  airlock-install export torch-lab.airlock --key site.pub --to "
        "/srv/www/airlock/torch-lab");
    add_bundle_argument(*cmd, args->bundle);
    cmd->add_option("--key", args->keys, "a trusted minisign public key (repeatable)");
    cmd->add_option("--trust-dir", args->trust_dir,
                    "trust every *.pub in this directory (default /etc/airlock/trusted.d)");
    cmd->add_option("--to", args->to,
                    "the directory to create (must not exist, be empty, or hold an earlier "
                    "export of the same bundle, which is replaced)")
        ->required();
    cmd->add_flag("--allow-unsigned", args->allow_unsigned, "accept a bundle without signature");
    cmd->add_flag("--allow-downgrade", args->allow_downgrade,
                  "replace an export of the same bundle with an older (lower sequence) one");
    cmd->callback([args] {
        args->bundle = bundle_or_self(args->bundle);
        exporter::ExportOptions o;
        o.bundle = args->bundle;
        o.keys.assign(args->keys.begin(), args->keys.end());
        if (!args->trust_dir.empty())
            o.trust_dir = args->trust_dir;
        o.to = args->to;
        o.allow_unsigned =
            args->allow_unsigned ? bundle::AllowUnsigned::yes : bundle::AllowUnsigned::no;
        o.downgrade =
            args->allow_downgrade ? install::Downgrade::allow : install::Downgrade::refuse;
        within("exporting the bundle " + quote(args->bundle),
               [&] { exporter::export_bundle(o, std::cout); });
    });
}

}  // namespace airlock::installer

#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "core/bundle/reader.hpp"
#include "installer/verify/json_report.hpp"
#include "installer/verify/listing.hpp"
#include "installer/verify/manifest_peek.hpp"
#include "installer/verify/trusted_keys.hpp"

#include <iostream>

namespace airlock::installer {
namespace {

struct ListArgs {
    std::string bundle;
    std::vector<std::string> keys;
    std::string trust_dir;
    bool json = false;
};

void run_list(const ListArgs& a) {
    within("listing the bundle " + quote(a.bundle), [&] {
        auto parts = bundle::bundle_parts(a.bundle);
        if (a.keys.empty() && a.trust_dir.empty()) {
            auto peek = verify::peek_manifest(parts);
            std::string signer =
                peek.claimed_key
                    ? "key " + bundle::to_string(*peek.claimed_key) +
                          " (NOT verified: pass --key PUB or --trust-dir DIR to check it)"
                    : std::string("nobody: the bundle is unsigned");
            if (a.json) {
                std::cout << verify::dump_json(verify::listing_json(
                    peek.manifest, peek.claimed_key ? bundle::to_string(*peek.claimed_key) : "",
                    false));
                return;
            }
            std::cout << verify::render_listing(peek.manifest, signer);
            return;
        }
        std::vector<std::filesystem::path> keys(a.keys.begin(), a.keys.end());
        std::optional<std::filesystem::path> dir;
        if (!a.trust_dir.empty())
            dir = a.trust_dir;
        auto trusted = verify::load_trusted_keys(keys, dir);
        auto report = bundle::read_manifest(parts, trusted, bundle::AllowUnsigned::yes);
        std::string signer = report.key_id
                                 ? "key " + verify::describe_key(*report.key_id, trusted) +
                                       " (signature verified; file hashes are checked "
                                       "by `verify`)"
                                 : std::string("nobody: the bundle is unsigned");
        if (a.json) {
            std::cout << verify::dump_json(verify::listing_json(
                report.manifest, report.key_id ? verify::describe_key(*report.key_id, trusted) : "",
                report.key_id.has_value()));
            return;
        }
        std::cout << verify::render_listing(report.manifest, signer);
    });
}

}  // namespace

void add_list_command(CLI::App& app) {
    auto args = std::make_shared<ListArgs>();
    auto* cmd = app.add_subcommand(
        "list",
        "Show a bundle's name, version, sequence, signer key id, targets and the packages of each "
        "target (reads only the manifest).");
    cmd->footer("Example:\n  airlock-install list torch-lab.airlock --key site.pub");
    add_bundle_argument(*cmd, args->bundle);
    cmd->add_option("--key", args->keys,
                    "check the manifest signature against this key (repeatable)");
    cmd->add_option("--trust-dir", args->trust_dir,
                    "check it against every *.pub in this directory");
    cmd->add_flag("--json", args->json,
                  "print the listing as JSON on stdout (bundle, signature, targets with their "
                  "packages)");
    cmd->callback([args] {
        args->bundle = bundle_or_self(args->bundle);
        run_list(*args);
    });
}

}  // namespace airlock::installer

// `airlock-build fetch MANIFEST [--lock DIR] -o DIR`: every locked file of every target,
// downloaded and verified through the cache into one flat wheelhouse (`pip download -d`, right);
// conda packages under DIR/conda/<subdir>/.

#include "builder/cli/app.hpp"
#include "builder/cli/conda_closure.hpp"
#include "builder/cli/fetch_flags.hpp"
#include "builder/cli/input_flags.hpp"
#include "builder/cli/locked_closure.hpp"
#include "builder/cli/settings_flags.hpp"
#include "builder/fetch/wheelhouse.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"

#include <iostream>
#include <memory>

namespace airlock::builder {
namespace {

struct FetchArgs {
    InputFlags inputs;
    std::string lock_dir;
    std::string output;
    FetchFlags flags;
    SettingsFlags settings;
};

void run_fetch(const FetchArgs& args) {
    args.inputs.check_lock_dir(args.lock_dir);
    args.flags.check();
    auto loaded = args.settings.load(args.inputs, args.flags.cert, args.flags.given_retries(),
                                     args.flags.given_stall_timeout());
    const auto& manifest = loaded.manifest;
    auto options = args.flags.options();
    options.network = manifest::network_options(manifest, loaded.settings, options.network);
    resolve::ResolveOptions resolve_options;
    resolve_options.cache_dir = args.flags.cache_dir;
    resolve_options.network = options.network;
    resolve_options.retries = loaded.settings.retries;
    resolve_options.progress = args.flags.progress_mode();
    auto locks = args.inputs.pylock.empty()
                     ? obtain_locks(manifest, args.lock_dir, resolve_options, args.settings.verbose)
                     : locks_from_pylock(manifest, args.inputs.pylock, {});
    auto files = closure_files(locks);
    auto items = fetch_items(files);
    // Conda packages go through the same engine and cache, under DIR/conda/<subdir>/.
    auto conda_items = conda_fetch_items(conda_closure_files(locks));
    items.insert(items.end(), conda_items.begin(), conda_items.end());
    auto fetched =
        within("downloading the locked files", [&] { return fetch::fetch_all(items, options); });
    std::filesystem::path out(args.output);
    std::uint64_t bytes = fetch::write_wheelhouse(items, fetched, out);
    if (!args.flags.quiet) {
        std::cout << items.size() << " files (" << human_size(bytes) << ") for " << locks.size()
                  << (locks.size() == 1 ? " target" : " targets") << " in " << out.string() << "\n";
    }
}

}  // namespace

void add_fetch_command(CLI::App& app) {
    auto args = std::make_shared<FetchArgs>();
    auto* cmd = app.add_subcommand(
        "fetch",
        "Resolve (or reuse --lock DIR) and download every locked file for every target into DIR "
        "as one flat, verified wheelhouse (conda packages under DIR/conda/<subdir>/).");
    cmd->footer(
        "Example:\n  airlock-build fetch manifests/torch-lab.toml --lock lock/ -o wheelhouse/");
    args->inputs.add_to(cmd);
    cmd->add_option("--lock", args->lock_dir,
                    "reuse the pylock.<target>.toml files `airlock-build lock` wrote here");
    cmd->add_option("-o,--output", args->output, "directory for the wheels")->required();
    args->flags.add_to(cmd);
    args->settings.add_to(cmd);
    cmd->callback(
        [args] { within("fetching " + args->inputs.describe(), [&] { run_fetch(*args); }); });
}

}  // namespace airlock::builder

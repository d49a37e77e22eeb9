// `airlock-build lock MANIFEST -o DIR`: resolve every target and write, per target,
// DIR/pylock.<target>.toml (PEP 751) and DIR/requirements.<target>.txt (with hashes) for
// [python], DIR/conda.<target>.txt (@EXPLICIT) and DIR/conda.<target>.lock.toml for [conda].

#include "builder/cli/app.hpp"
#include "builder/cli/hash_by_download.hpp"
#include "builder/cli/input_flags.hpp"
#include "builder/cli/lock_json.hpp"
#include "builder/cli/locked_closure.hpp"
#include "builder/cli/settings_flags.hpp"

#include "builder/lock/conda_lock.hpp"
#include "builder/lock/pylock.hpp"
#include "builder/lock/requirements_txt.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/net/tls.hpp"
#include "builder/resolve/resolve_manifest.hpp"
#include "core/base/error.hpp"
#include "core/base/human_size.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace airlock::builder {
namespace {

struct LockArgs {
    InputFlags inputs;
    std::string output;
    std::string cache_dir;
    std::string cert;
    std::vector<std::string> targets;
    std::string explain;
    bool offline = false;
    bool prefer_cache = false;
    bool json = false;
    bool quiet = false;
    SettingsFlags settings;
};

/// `--explain PACKAGE`: one block per resolved target, in manifest order.
void print_explanations(const manifest::Manifest& manifest, const LockArgs& args,
                        const std::vector<resolve::TargetReport>& reports) {
    std::size_t k = 0;
    for (const auto& t : manifest.targets) {
        if (!args.targets.empty() &&
            std::find(args.targets.begin(), args.targets.end(), t.name) == args.targets.end())
            continue;
        if (k < reports.size() && !reports[k].explanation.empty())
            std::cout << t.name << ": " << reports[k].explanation;
        ++k;
    }
}

void run_lock(const LockArgs& args) {
    if (!args.cert.empty())
        net::check_ca_file(args.cert);
    auto loaded = args.settings.load(args.inputs, args.cert);
    const auto& manifest = loaded.manifest;
    resolve::ResolveOptions options;
    options.cache_dir = args.cache_dir;
    options.network = loaded.network;
    options.retries = loaded.settings.retries;
    options.targets = args.targets;
    if (args.offline)
        options.cache_mode = net::CacheMode::offline;
    else if (args.prefer_cache)
        options.cache_mode = net::CacheMode::prefer_cache;

    options.explain = args.explain;
    options.progress = args.quiet ? ProgressMode::quiet : stderr_progress_mode();

    std::vector<resolve::TargetReport> reports;
    std::vector<lock::TargetLock> locks;
    try {
        locks = within("locking " + args.inputs.describe(), [&] {
            if (!args.inputs.pylock.empty())
                return locks_from_pylock(manifest, args.inputs.pylock, args.targets);
            auto resolved = resolve::resolve_manifest(manifest, options, &reports);
            hash_by_download(resolved, options, args.settings.verbose);
            return resolved;
        });
    } catch (const Error&) {
        print_explanations(manifest, args, reports);
        throw;
    }

    std::filesystem::path dir(args.output);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error("cannot create the output directory " + quote(dir.string()) + ": " +
                    ec.message());
    // Every target resolved before anything is written: a failing target leaves DIR untouched.
    // With --json the summary lines become one JSON object at the end.
    std::ostringstream text;
    std::ostream& summary = args.json || args.quiet ? static_cast<std::ostream&>(text) : std::cout;
    std::map<std::string, std::vector<std::string>> written;
    for (std::size_t i = 0; i < locks.size(); ++i) {
        const auto& lock = locks[i];
        if (lock.conda) {
            const auto& conda = *lock.conda;
            std::uint64_t bytes = 0;
            for (const auto& p : conda.packages)
                bytes += p.size;
            auto path = lock::write_conda_lock(dir, lock.target, conda);
            written[lock.target].push_back(path.string());
            summary << lock.target << ": " << conda.packages.size()
                    << (conda.packages.size() == 1 ? " conda package, " : " conda packages, ")
                    << human_size(bytes) << " (" << conda.subdir << ") -> " << path.string()
                    << "\n";
        }
        if (lock.conda && manifest.python.requirements.empty())
            continue;  // [conda] only: no pip part
        lock::write_pylock(dir, lock);
        lock::write_requirements(dir, lock);
        written[lock.target].push_back(lock::pylock_path(dir, lock.target).string());
        std::uint64_t total = 0;
        bool all_sizes = true;
        for (const auto& p : lock.packages)
            for (const auto& w : p.wheels) {
                if (w.size)
                    total += *w.size;
                else
                    all_sizes = false;
            }
        summary << lock.target << ": " << lock.packages.size()
                << (lock.packages.size() == 1 ? " package, " : " packages, ")
                << (all_sizes ? "" : "at least ") << human_size(total) << " -> "
                << lock::pylock_path(dir, lock.target).string() << "\n";
    }
    if (args.json)
        std::cout << lock_json(manifest, locks, dir, written)
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    print_explanations(manifest, args, reports);
}

}  // namespace

void add_lock_command(CLI::App& app) {
    auto args = std::make_shared<LockArgs>();
    auto* cmd = app.add_subcommand(
        "lock",
        "Resolve [python] requirements for every target and write pylock.<target>.toml (PEP 751) "
        "and requirements.<target>.txt (with hashes) into DIR; with [conda], also "
        "conda.<target>.txt (@EXPLICIT) and conda.<target>.lock.toml.");
    cmd->footer(
        "Examples:\n  airlock-build lock manifests/torch-lab.toml -o lock/\n  airlock-build lock "
        "manifests/torch-lab.toml -o lock/ --target linux-py312 --explain torch\n  airlock-build "
        "lock manifests/torch-lab.toml -o lock/ --json | jq '.targets[].pip.packages[].name'");
    args->inputs.add_to(cmd);
    cmd->add_option("-o,--output", args->output, "directory for the lock files")->required();
    cmd->add_option("--cache-dir", args->cache_dir,
                    "HTTP cache for index pages and metadata (default: ~/.cache/airlock)");
    cmd->add_option("--cert", args->cert,
                    "CA bundle (PEM) for TLS, used for every index page and metadata request "
                    "(default: $SSL_CERT_FILE, else the system store)");
    cmd->add_option("--target", args->targets, "only this target (repeatable)");
    cmd->add_option("--explain", args->explain,
                    "say why each version of PACKAGE was or was not chosen, per target (yanked, "
                    "pre-release policy, no wheel for the tags, requires-python, a requirement, "
                    "a conflict)")
        ->type_name("PACKAGE");
    auto* offline = cmd->add_flag("--offline", args->offline,
                                  "use only cached index pages and metadata; never connect");
    cmd->add_flag("--prefer-cache", args->prefer_cache,
                  "use cached pages without revalidating them (fast repeated runs)")
        ->excludes(offline);
    cmd->add_flag("--json", args->json,
                  "print the plan as JSON on stdout (\"format\": 1): per target its platform, "
                  "Python and CUDA, its pip and conda packages with the file chosen for each "
                  "(URL, size, sha256) and the lock files written");
    cmd->add_flag("-q,--quiet", args->quiet,
                  "print nothing but errors (and --explain, --json output when asked)");
    args->settings.add_to(cmd);
    cmd->callback([args] { run_lock(*args); });
}

}  // namespace airlock::builder

#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "installer/conda/prefix_installer.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace airlock::installer {
namespace {

struct CondaPrefixArgs {
    std::vector<std::string> packages;
    std::string prefix;
    std::string channel;
    std::string tmp_dir;
    std::vector<std::string> specs;
};

void run_conda_prefix(const CondaPrefixArgs& a, const std::string& command) {
    install::conda::PrefixOptions o;
    o.prefix = a.prefix;
    for (const auto& p : a.packages)
        o.packages.push_back({p, a.channel, "", "", "", ""});
    if (!a.tmp_dir.empty())
        o.tmp_dir = a.tmp_dir;
    o.command = command;
    o.specs = a.specs;
    const auto started = std::chrono::steady_clock::now();
    auto summary = within("creating the conda environment " + quote(a.prefix),
                          [&] { return install::conda::install_prefix(o, std::cout, std::cerr); });
    char secs[32];
    std::snprintf(
        secs, sizeof secs, "%.1f",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    std::cout << "installed " << summary.packages << " conda packages (" << summary.files
              << " paths) into " << a.prefix << " in " << secs << " s\n";
}

}  // namespace

void add_conda_prefix_command(CLI::App& app) {
    auto args = std::make_shared<CondaPrefixArgs>();
    auto* cmd = app.add_subcommand(
        "conda-prefix",
        "Create a conda environment from conda package files (.conda, .tar.bz2) given in "
        "install order, with no conda and no network; all or nothing. (The bundle's conda part "
        "will install through this.)");
    cmd->group("");  // hidden: a building block and test driver, not yet a user command
    cmd->add_option("packages", args->packages, "package files, dependencies first")->required();
    cmd->add_option("--prefix", args->prefix, "the environment to create (new or empty)")
        ->required();
    cmd->add_option("--channel", args->channel, "the channel name or URL to record");
    cmd->add_option("--spec", args->specs, "a requested spec to record in conda-meta/history")
        ->allow_extra_args(false);
    cmd->add_option("--tmp-dir", args->tmp_dir,
                    "build the environment here (default: next to --prefix; same filesystem)");
    cmd->callback([args, cmd] {
        std::string command = "airlock-install conda-prefix --prefix " + args->prefix;
        (void)cmd;
        run_conda_prefix(*args, command);
    });
}

}  // namespace airlock::installer

#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "installer/conda/prefix_backend.hpp"
#include "installer/install/installer.hpp"
#include "installer/install/venv_backend.hpp"

#include <iostream>

namespace airlock::installer {
namespace {

struct InstallArgs {
    std::string bundle;
    std::vector<std::string> keys;
    std::string trust_dir;
    std::string venv;
    std::string python;
    std::string prefix;
    std::string use;
    std::string target;
    std::string tmp_dir;
    bool update = false;
    bool dry_run = false;
    bool json = false;
    bool quiet = false;
    bool sync = false;
    bool allow_unsigned = false;
    bool allow_downgrade = false;
};

/// Where -q sends airlock's own progress lines: nowhere (warnings and errors still reach stderr).
std::ostream& quiet_stream() {
    static std::ostream null(nullptr);
    return null;
}

void run_install(const InstallArgs& a) {
    install::InstallOptions o;
    o.bundle = a.bundle;
    o.keys.assign(a.keys.begin(), a.keys.end());
    if (!a.trust_dir.empty())
        o.trust_dir = a.trust_dir;
    if (!a.target.empty())
        o.target = a.target;
    if (!a.tmp_dir.empty())
        o.tmp_dir = a.tmp_dir;
    o.dry_run = a.dry_run ? install::DryRun::yes : install::DryRun::no;
    o.progress = a.quiet ? ProgressMode::quiet : stderr_progress_mode();
    if (a.json && !a.dry_run)
        throw Error("--json goes with --dry-run (it prints the plan as JSON)", Exit::usage)
            .with_hint("add --dry-run to see the plan as JSON; a real install prints text");
    o.plan_format = a.json ? install::PlanFormat::json : install::PlanFormat::text;
    o.allow_unsigned = a.allow_unsigned ? bundle::AllowUnsigned::yes : bundle::AllowUnsigned::no;
    o.downgrade = a.allow_downgrade ? install::Downgrade::allow : install::Downgrade::refuse;
    if (!a.prefix.empty()) {
        if (!a.venv.empty() || !a.python.empty())
            throw Error("--prefix cannot be combined with --venv or --python", Exit::usage)
                .with_hint(
                    "--prefix creates a conda environment with its own Python; --venv and "
                    "--python install the pip part into an existing Python");
        if (a.sync)
            throw Error("--sync does not go with --prefix yet", Exit::usage)
                .with_hint(
                    "--prefix DIR --update already makes the conda part match the target "
                    "(installed conda packages the target does not list are removed); packages "
                    "pip installed into DIR outside the bundle stay");
        install::conda::PrefixBackendOptions p;
        p.prefix = a.prefix;
        p.update = a.update;
        if (!a.use.empty())
            p.use = a.use;
        p.command = "airlock-install install " + a.bundle + " --prefix " + a.prefix +
                    (a.target.empty() ? "" : " --target " + a.target) +
                    (a.update ? " --update" : "");
        install::conda::PrefixBackend backend(std::move(p));
        within("installing the bundle " + quote(a.bundle), [&] {
            install::install(o, backend, a.quiet && !a.dry_run ? quiet_stream() : std::cout,
                             std::cerr);
        });
        return;
    }
    if (!a.use.empty())
        throw Error("--use needs --prefix DIR", Exit::usage)
            .with_hint("--use conda|mamba|micromamba creates the conda environment at --prefix");
    if (a.sync && a.venv.empty())
        throw Error(
            a.python.empty() ? "--sync needs --venv DIR" : "--sync does not go with --python alone",
            Exit::usage)
            .with_hint(
                "--sync removes every package the bundle does not list; an interpreter given "
                "with --python (often the system's) has packages that belong to others, so it "
                "is refused there: use --venv DIR (with --python to choose the interpreter the "
                "venv is made from)");
    if (a.update)
        throw Error("--update needs --prefix DIR", Exit::usage)
            .with_hint("--update replaces the packages of the conda environment at --prefix");
    install::VenvOptions v;
    v.sync = a.sync;
    if (!a.venv.empty())
        v.venv = a.venv;
    if (!a.python.empty())
        v.python = a.python;
    install::VenvBackend backend(std::move(v));
    within("installing the bundle " + quote(a.bundle), [&] {
        install::install(o, backend, a.quiet && !a.dry_run ? quiet_stream() : std::cout, std::cerr);
    });
}

}  // namespace

void add_install_command(CLI::App& app) {
    auto args = std::make_shared<InstallArgs>();
    auto* cmd = app.add_subcommand(
        "install",
        "Verify a bundle, pick the target that fits this host, unpack it next to the destination "
        "while hashing, and install it with pip (no index, hashes required, isolated from the "
        "host's pip configuration). All or nothing.");
    cmd->footer(
        "Examples:\n  airlock-install install torch-lab.airlock --key site.pub --venv "
        "/opt/envs/torch\n  airlock-install install torch-lab.airlock --key site.pub --venv "
        "/opt/envs/torch --dry-run\n  airlock-install install torch-lab.airlock --key site.pub "
        "--prefix /opt/envs/torch-conda");
    add_bundle_argument(*cmd, args->bundle);
    cmd->add_option("--key", args->keys, "a trusted minisign public key (repeatable)");
    cmd->add_option("--trust-dir", args->trust_dir,
                    "trust every *.pub in this directory (default /etc/airlock/trusted.d)");
    cmd->add_option("--venv", args->venv,
                    "install into this virtual environment (created when missing)");
    cmd->add_option("--python", args->python,
                    "the interpreter to install into (or to create --venv with)");
    cmd->add_option("--prefix", args->prefix,
                    "create a conda environment here from a target with conda packages (new or "
                    "empty directory; no conda needed)");
    cmd->add_option("--use", args->use,
                    "with --prefix: create the environment with conda, mamba or micromamba from "
                    "PATH (offline, only the bundle's channel)");
    cmd->add_flag("--update", args->update,
                  "with --prefix: update the existing conda environment there, replacing only "
                  "the packages that change (all or nothing)");
    cmd->add_option("--target", args->target,
                    "the bundle target to install (default: the one that fits)");
    cmd->add_option("--tmp-dir", args->tmp_dir,
                    "unpack here instead of next to the venv (must have room for the bundle)");
    cmd->add_flag("--dry-run", args->dry_run,
                  "print the plan (target, packages, commands); install nothing");
    cmd->add_flag("--sync", args->sync,
                  "with --venv: afterwards remove the packages the target does not list, so the "
                  "venv matches it exactly (pip, setuptools and wheel are kept); without it "
                  "install only adds and upgrades");
    cmd->add_flag("-q,--quiet", args->quiet,
                  "print nothing but warnings and errors: no progress lines, and pip runs "
                  "with -q");
    cmd->add_flag("--json", args->json,
                  "with --dry-run: print the plan as JSON (target, destination, packages, steps)");
    cmd->add_flag("--allow-unsigned", args->allow_unsigned, "accept a bundle without signature");
    cmd->add_flag("--allow-downgrade", args->allow_downgrade,
                  "accept a bundle older (lower sequence) than one installed before");
    cmd->callback([args] {
        args->bundle = bundle_or_self(args->bundle);
        run_install(*args);
    });
}

}  // namespace airlock::installer

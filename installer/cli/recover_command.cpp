#include "installer/cli/app.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "installer/install/install_journal.hpp"

#include <filesystem>
#include <iostream>

namespace airlock::installer {
namespace {

struct RecoverArgs {
    std::string venv;
    std::string prefix;
};

void run_recover(const RecoverArgs& a) {
    if (a.venv.empty() == a.prefix.empty())
        throw Error("recover needs one destination: --venv DIR or --prefix DIR", Exit::usage);
    const std::filesystem::path given = a.venv.empty() ? a.prefix : a.venv;
    auto destination = std::filesystem::absolute(given).lexically_normal();
    if (!destination.has_filename())
        destination = destination.parent_path();
    bool recovered = within("recovering " + quote(destination.string()), [&] {
        return install::InstallJournal::recover(destination, std::cout);
    });
    if (!recovered)
        std::cout << "nothing to recover: no interrupted install into "
                  << terminal_text(destination.string()) << " (no "
                  << terminal_text(install::InstallJournal::path_for(destination).string())
                  << ")\n";
}

}  // namespace

void add_recover_command(CLI::App& app) {
    auto args = std::make_shared<RecoverArgs>();
    auto* cmd = app.add_subcommand(
        "recover",
        "Roll back an install into a venv or conda prefix that was interrupted (kill -9, power "
        "cut, full disk), so the destination is exactly as it was before it. Every install, "
        "--update and --sync does this first by itself; this command does only that.");
    cmd->footer(
        "Examples:\n  airlock-install recover --venv /opt/envs/torch\n  airlock-install "
        "recover --prefix /opt/envs/torch-conda");
    cmd->add_option("--venv", args->venv, "the venv an install was interrupted in");
    cmd->add_option("--prefix", args->prefix, "the conda prefix an install was interrupted in");
    cmd->callback([args] { run_recover(*args); });
}

}  // namespace airlock::installer

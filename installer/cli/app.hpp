#pragma once
/// airlock-install's command line: one file per subcommand, wired together here.

#include <CLI/CLI.hpp>

#include <string>

namespace airlock::installer {

int run(int argc, char** argv);

void add_verify_command(CLI::App& app);
void add_list_command(CLI::App& app);
void add_install_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_conda_prefix_command(CLI::App& app);
void add_recover_command(CLI::App& app);

/// The optional BUNDLE positional every subcommand takes.
void add_bundle_argument(CLI::App& cmd, std::string& bundle);
/// `given`, else this program's own file when it is a self-extracting bundle (it carries one
/// after itself); throws a usage Error otherwise.
std::string bundle_or_self(const std::string& given);

}  // namespace airlock::installer

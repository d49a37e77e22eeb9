#pragma once
/// airlock-install's command line: one file per subcommand, wired together here.

#include <CLI/CLI.hpp>

namespace airlock::installer {

int run(int argc, char** argv);

void add_verify_command(CLI::App& app);
void add_list_command(CLI::App& app);
void add_install_command(CLI::App& app);
void add_export_command(CLI::App& app);

}  // namespace airlock::installer

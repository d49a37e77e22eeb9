#pragma once
/// airlock-build's command line: one file per subcommand, wired together here.

#include <CLI/CLI.hpp>

namespace airlock::builder {

int run(int argc, char** argv);

// Each subcommand registers its options and callback on the app (one file each).
void add_lock_command(CLI::App& app);
void add_fetch_command(CLI::App& app);
void add_download_command(CLI::App& app);
void add_build_command(CLI::App& app);
void add_keygen_command(CLI::App& app);
void add_init_command(CLI::App& app);

}  // namespace airlock::builder

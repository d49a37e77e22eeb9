#pragma once
/// The shared shape of both programs' main(): parse the command line, run the chosen command,
/// print an escaping Error once, and turn it into an exit code.

#include <CLI/CLI.hpp>

#include <atomic>

namespace airlock {

/// Parses argv into `app` and runs the callbacks CLI11 attached to the chosen subcommand.
/// Returns the process exit code: 0, 1 (user-fixable), 2 (usage/internal), 130 (interrupted).
int run_program(CLI::App& app, int argc, char** argv);

/// Set once SIGINT/SIGTERM arrives; long loops poll it and throw an interrupted Error.
bool interrupted();
/// Throws Error(Exit::interrupted) when interrupted() is set.
void throw_if_interrupted();

}  // namespace airlock

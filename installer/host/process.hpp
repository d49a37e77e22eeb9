#pragma once
/// Child processes of the installer (POSIX.1-2017 posix_spawn): pip and the interpreter probe run
/// with fork/exec semantics, never through a shell, in an environment stripped of pip's and
/// Python's configuration variables so nothing but the bundle reaches the target environment.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::host {

/// The parent's environment minus every `PIP_*` variable, `PYTHONPATH`, `PYTHONHOME` and
/// `PYTHONUSERBASE`, plus `PIP_CONFIG_FILE=/dev/null` and `PYTHONNOUSERSITE=1`.
std::vector<std::string> isolated_environment();

struct Command {
    std::vector<std::string> argv;  ///< argv[0] is a path, or a name looked up on PATH
    std::vector<std::string> env;   ///< NAME=value entries; the child sees exactly these
};

/// Runs `command` with stdin/stdout/stderr inherited (its output streams through) and waits.
/// Returns the exit status, or 128 + signal number when the child was killed by a signal.
/// Throws Error when the program cannot be started.
int run(const Command& command);

struct Captured {
    int status = 0;
    std::string out;
    std::string err;
};

/// Runs `command` with stdin from /dev/null, collecting stdout and stderr.
Captured capture(const Command& command);

/// `argv` as one line a user can paste into a POSIX shell.
std::string render_command(const std::vector<std::string>& argv);

/// The first executable `name` in the directories of `$PATH`, or nullopt.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

}  // namespace airlock::host

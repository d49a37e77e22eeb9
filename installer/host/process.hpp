#pragma once
/// Child processes of the installer: pip and the interpreter probe run with fork/exec, never
/// through a shell, in an environment stripped of pip's and Python's configuration variables so
/// nothing but the bundle reaches the target environment. Every child is killed by the kernel
/// when the installer dies (Linux PR_SET_PDEATHSIG), so nothing writes after a `kill -9`.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

/// Like run(), but the child's stderr passes through this process, which keeps its last few KB in
/// `tail` (to tell a full disk from other failures in pip's message).
int run_watching_stderr(const Command& command, std::string& tail);

/// Which stream of the child a line came from.
enum class Stream { out, err };

/// Runs `command` with stdin inherited and its stdout and stderr read line by line: `on_line`
/// gets each line without its end (`\n`, or `\r` as progress bars use). Returns the exit status
/// as run() does. For showing a child's progress in place of its scrolling output.
int run_lines(const Command& command,
              const std::function<void(Stream stream, std::string_view line)>& on_line);

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

#pragma once
/// Running a program from a test and capturing what it prints and how it ended.

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::test_support {

/// Where the child's stderr goes: to the test's own stderr, into `output` after stdout's bytes
/// (interleaved as written, like `2>&1`), or nowhere.
enum class Stderr { passed_through, merged, discarded };

struct ProcessResult {
    int exit_code = -1;  ///< the exit status; 128 + the signal number when a signal ended it
    std::string output;  ///< stdout (and stderr with Stderr::merged)
};

/// Runs `argv` (argv[0] looked up on PATH) in `cwd` (the test's own when empty), stdin from
/// /dev/null, and waits for it. A program that cannot be started exits 127, as in a shell.
ProcessResult run_process(const std::vector<std::string>& argv, Stderr err = Stderr::passed_through,
                          const std::filesystem::path& cwd = {});

/// Runs `command` with `/bin/sh -c`: pipes, redirections and `cd` as written.
ProcessResult run_shell(const std::string& command, Stderr err = Stderr::passed_through,
                        const std::filesystem::path& cwd = {});

}  // namespace airlock::test_support

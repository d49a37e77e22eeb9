#include "tests/support/cpp/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace airlock::test_support {

ProcessResult run_process(const std::vector<std::string>& argv, Stderr err,
                          const std::filesystem::path& cwd) {
    if (argv.empty())
        throw std::invalid_argument("run_process: no program given");
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    if (err == Stderr::merged)
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    else if (err == Stderr::discarded)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (!cwd.empty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    ProcessResult result;
    if (spawn_error != 0) {
        ::close(pipe_fds[0]);
        result.exit_code = 127;
        result.output = argv[0] + ": " + std::strerror(spawn_error) + "\n";
        return result;
    }
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0)
            result.output.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR)
            break;
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ProcessResult run_shell(const std::string& command, Stderr err, const std::filesystem::path& cwd) {
    return run_process({"/bin/sh", "-c", command}, err, cwd);
}

}  // namespace airlock::test_support

#include "installer/host/process.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace airlock::host {
namespace {

bool dropped(std::string_view entry) {
    auto name = entry.substr(0, entry.find('='));
    return name.starts_with("PIP_") || name == "PYTHONPATH" || name == "PYTHONHOME" ||
           name == "PYTHONUSERBASE" || name == "PYTHONNOUSERSITE";
}

std::vector<char*> c_strings(const std::vector<std::string>& items) {
    std::vector<char*> out;
    out.reserve(items.size() + 1);
    for (const auto& s : items)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

/// What the child does to its standard descriptors before exec: `stdin_null` opens /dev/null as
/// fd 0; each (from, to) pair is dup2(from, to).
struct Redirects {
    bool stdin_null = false;
    std::vector<std::pair<int, int>> dups;
};

std::string resolve_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return name;
    if (auto found = find_on_path(name))
        return found->string();
    throw Error("cannot start " + quote(name) + ": not found on PATH")
        .with_hint("check that the program exists and is executable");
}

/// fork + exec rather than posix_spawn: the child asks the kernel for SIGKILL when the installer
/// dies (PR_SET_PDEATHSIG), so after a `kill -9` of airlock-install no pip, venv or byte-compiling
/// Python goes on writing into the destination that the next run rolls back.
pid_t spawn(const Command& command, const Redirects& redirects) {
    if (command.argv.empty())
        throw Error("internal: empty command line", Exit::internal);
    const std::string program = resolve_program(command.argv[0]);
    auto argv = c_strings(command.argv);
    auto envp = c_strings(command.env);
    int report[2];  // the child writes errno here when exec fails; closed by a successful exec
    if (pipe2(report, O_CLOEXEC) != 0)
        throw Error(std::string("pipe: ") + std::strerror(errno));
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(report[0]);
        close(report[1]);
        throw Error("cannot start " + quote(command.argv[0]) + ": " + std::strerror(e));
    }
    if (pid == 0) {
        // The child: async-signal-safe calls only.
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(127);  // the installer died before the request took effect
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (redirects.stdin_null) {
            int fd = open("/dev/null", O_RDONLY);
            if (fd >= 0 && fd != 0) {
                dup2(fd, 0);
                close(fd);
            }
        }
        for (auto [from, to] : redirects.dups)
            dup2(from, to);
        execve(program.c_str(), argv.data(), envp.data());
        int e = errno;
        ssize_t ignored = write(report[1], &e, sizeof e);
        (void)ignored;
        _exit(127);
    }
    close(report[1]);
    int child_errno = 0;
    ssize_t n;
    while ((n = read(report[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
    }
    close(report[0]);
    if (n == static_cast<ssize_t>(sizeof child_errno)) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        throw Error("cannot start " + quote(command.argv[0]) + ": " + std::strerror(child_errno))
            .with_hint("check that the program exists and is executable");
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw Error(std::string("waitpid: ") + std::strerror(errno));
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

}  // namespace

std::vector<std::string> isolated_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        if (!dropped(*e))
            env.emplace_back(*e);
    }
    env.emplace_back("PIP_CONFIG_FILE=/dev/null");
    env.emplace_back("PYTHONNOUSERSITE=1");
    return env;
}

int run(const Command& command) {
    return wait_for(spawn(command, Redirects{}));
}

int run_watching_stderr(const Command& command, std::string& tail) {
    int err_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0)
        throw Error(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = -1;
    try {
        pid = spawn(command, Redirects{false, {{err_pipe[1], 2}}});
    } catch (...) {
        close(err_pipe[0]);
        close(err_pipe[1]);
        throw;
    }
    close(err_pipe[1]);
    char buffer[8192];
    while (true) {
        ssize_t n = read(err_pipe[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(2, buffer + off, static_cast<std::size_t>(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += w;
        }
        tail.append(buffer, static_cast<std::size_t>(n));
        if (tail.size() > 16384)
            tail.erase(0, tail.size() - 8192);
    }
    close(err_pipe[0]);
    return wait_for(pid);
}

namespace {

/// Runs `command` with its stdout (0) and stderr (1) on pipes, stdin /dev/null when `stdin_null`,
/// handing each chunk read to `chunk(stream, bytes)` and each end of a stream to `ended(stream)`;
/// returns the exit status. When a handler throws, the pipes are closed and the child reaped first.
int pump_output(const Command& command, bool stdin_null,
                const std::function<void(int, std::string_view)>& chunk,
                const std::function<void(int)>& ended) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0)
        throw Error(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw Error(std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = -1;
    try {
        pid = spawn(command, Redirects{stdin_null, {{out_pipe[1], 1}, {err_pipe[1], 2}}});
    } catch (...) {
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
            close(fd);
        throw;
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    auto close_all = [&] {
        for (auto& f : fds)
            if (f.fd >= 0)
                close(f.fd);
    };
    int open_count = 2;
    char buffer[8192];
    try {
        while (open_count > 0) {
            if (poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            for (int i = 0; i < 2; ++i) {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
                if (n > 0) {
                    chunk(i, std::string_view(buffer, static_cast<std::size_t>(n)));
                } else if (n == 0 || errno != EINTR) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_count;
                    ended(i);
                }
            }
        }
    } catch (...) {
        close_all();
        wait_for(pid);
        throw;
    }
    close_all();
    return wait_for(pid);
}

}  // namespace

Captured capture(const Command& command) {
    Captured result;
    std::string* sinks[2] = {&result.out, &result.err};
    result.status = pump_output(
        command, true, [&](int i, std::string_view bytes) { sinks[i]->append(bytes); }, [](int) {});
    return result;
}

int run_lines(const Command& command,
              const std::function<void(Stream stream, std::string_view line)>& on_line) {
    const Stream streams[2] = {Stream::out, Stream::err};
    std::string pending[2];
    auto emit = [&](int i, bool all) {
        std::size_t start = 0;
        for (std::size_t j = 0; j < pending[i].size(); ++j) {
            if (pending[i][j] == '\n' || pending[i][j] == '\r') {
                if (j > start)
                    on_line(streams[i], std::string_view(pending[i]).substr(start, j - start));
                start = j + 1;
            }
        }
        pending[i].erase(0, start);
        if (all && !pending[i].empty()) {
            on_line(streams[i], pending[i]);
            pending[i].clear();
        }
    };
    return pump_output(
        command, false,
        [&](int i, std::string_view bytes) {
            pending[i].append(bytes);
            emit(i, false);
        },
        [&](int i) { emit(i, true); });
}

std::string render_command(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& arg : argv) {
        if (!out.empty())
            out += ' ';
        bool plain = !arg.empty() && arg.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") == std::string::npos;
        if (plain) {
            out += arg;
            continue;
        }
        out += '\'';
        for (char c : arg) {
            if (c == '\'')
                out += "'\\''";
            else
                out += c;
        }
        out += '\'';
    }
    return out;
}

std::optional<std::filesystem::path> find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path)
        return std::nullopt;
    std::string_view rest(path);
    while (true) {
        auto colon = rest.find(':');
        auto dir = rest.substr(0, colon);
        if (!dir.empty()) {
            std::filesystem::path candidate = std::filesystem::path(dir) / name;
            if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
                return candidate;
        }
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return std::nullopt;
}

}  // namespace airlock::host

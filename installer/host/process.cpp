#include "installer/host/process.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
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

class FileActions {
  public:
    FileActions() { posix_spawn_file_actions_init(&actions_); }
    ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

  private:
    posix_spawn_file_actions_t actions_;
};

pid_t spawn(const Command& command, posix_spawn_file_actions_t* actions) {
    if (command.argv.empty())
        throw Error("internal: empty command line", Exit::internal);
    auto argv = c_strings(command.argv);
    auto envp = c_strings(command.env);
    pid_t pid = 0;
    const bool search = command.argv[0].find('/') == std::string::npos;
    int rc = search ? posix_spawnp(&pid, argv[0], actions, nullptr, argv.data(), envp.data())
                    : posix_spawn(&pid, argv[0], actions, nullptr, argv.data(), envp.data());
    if (rc != 0) {
        throw Error("cannot start " + quote(command.argv[0]) + ": " + std::strerror(rc))
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
    FileActions actions;
    return wait_for(spawn(command, actions.get()));
}

Captured capture(const Command& command) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0)
        throw Error(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw Error(std::string("pipe: ") + std::strerror(errno));
    }
    FileActions actions;
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(actions.get(), err_pipe[1], 2);
    pid_t pid = -1;
    try {
        pid = spawn(command, actions.get());
    } catch (...) {
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
            close(fd);
        throw;
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    Captured result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_count = 2;
    char buffer[8192];
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
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_count;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0)
            close(f.fd);
    result.status = wait_for(pid);
    return result;
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

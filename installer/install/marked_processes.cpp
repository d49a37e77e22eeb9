#include "installer/install/marked_processes.hpp"

#include "core/base/error.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

std::string entry_for(std::string_view token) {
    return std::string(install_marker_variable) + "=" + std::string(token);
}

/// The whole environment of `pid` (NUL-separated entries); empty when unreadable, gone or a
/// zombie (whose environment the kernel no longer shows).
std::string environment_of(const std::string& pid) {
    std::string text;
    int fd = ::open(("/proc/" + pid + "/environ").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[8192];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return text;
}

bool holds_entry(const std::string& environment, const std::string& entry) {
    for (std::size_t at = 0; at < environment.size();) {
        std::size_t end = environment.find('\0', at);
        if (end == std::string::npos)
            end = environment.size();
        if (std::string_view(environment).substr(at, end - at) == entry)
            return true;
        at = end + 1;
    }
    return false;
}

std::vector<pid_t> marked(const std::string& entry) {
    std::vector<pid_t> found;
    const pid_t self = ::getpid();
    std::error_code ec;
    for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (pid != self && holds_entry(environment_of(name), entry))
            found.push_back(pid);
    }
    return found;
}

}  // namespace

void mark_started_processes(const std::string& token) {
    ::setenv(std::string(install_marker_variable).c_str(), token.c_str(), 1);
}

void clear_started_processes_mark() {
    ::unsetenv(std::string(install_marker_variable).c_str());
}

std::size_t stop_marked_processes(std::string_view token, std::chrono::milliseconds bound) {
    if (token.empty())
        return 0;
    const std::string entry = entry_for(token);
    const auto deadline = std::chrono::steady_clock::now() + bound;
    std::set<pid_t> stopped;
    while (true) {
        auto pids = marked(entry);
        if (pids.empty())
            return stopped.size();
        if (std::chrono::steady_clock::now() > deadline) {
            std::string list;
            for (pid_t p : pids)
                list += (list.empty() ? "" : ", ") + std::to_string(p);
            throw Error("programs started by the interrupted install are still running (pid " +
                        list + ") and do not stop")
                .with_hint("stop them (kill -9 PID), then run this again");
        }
        for (pid_t p : pids)
            if (::kill(p, SIGKILL) == 0)
                stopped.insert(p);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace airlock::install

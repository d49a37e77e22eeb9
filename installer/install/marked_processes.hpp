#pragma once
/// The programs an install started, found again after the installer itself was killed. Direct
/// children die with the installer (PR_SET_PDEATHSIG) and hold the journal's lock until they are
/// gone, but their own children do not: `python -m venv` runs ensurepip as a grandchild that
/// closes inherited descriptors and would go on writing into a venv the recovery has just removed.
/// Every process an install starts inherits one environment entry naming that install (the
/// environment is what a grandchild keeps), so a recovery can find and stop exactly those
/// processes, and nothing else, by reading /proc/PID/environ.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::install {

/// The environment variable that marks the processes of one install.
inline constexpr std::string_view install_marker_variable = "AIRLOCK_INSTALL_JOURNAL";

/// Puts `NAME=token` into this process's environment, so every program started from now on
/// (host::isolated_environment() copies it) and their children carry it; clear() takes it out.
void mark_started_processes(const std::string& token);
void clear_started_processes_mark();

/// Sends SIGKILL to every process whose environment holds the entry `NAME=token` (processes of
/// other users are not readable and so never touched) until none is left or `bound` passes.
/// Returns how many it stopped; throws Error naming the survivors when the bound passes.
std::size_t stop_marked_processes(std::string_view token, std::chrono::milliseconds bound);

}  // namespace airlock::install

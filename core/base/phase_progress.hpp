#pragma once
/// The progress of one phase of work (resolve, download, pack, verify, install) on stderr, the
/// same in both programs: on a terminal one line redrawn in place and cut to the terminal's
/// width; otherwise a plain line every few seconds; or nothing (-q). Either way the phase ends
/// with one line `PHASE: SUMMARY in 1.2 s`. Everything drawn passes through terminal_text().

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace airlock {

enum class ProgressMode { tty, plain, quiet };

/// `tty` when stderr is a terminal whose $TERM is not `dumb`, else `plain`.
ProgressMode stderr_progress_mode();

/// How often plain mode prints a line: $AIRLOCK_PROGRESS_INTERVAL seconds (a number, fractions
/// allowed, at least 0.05), else 5 s.
std::chrono::milliseconds plain_progress_interval();

class PhaseProgress {
  public:
    using Clock = std::chrono::steady_clock;

    /// `phase` is the word every line starts with ("resolve").
    PhaseProgress(std::string phase, ProgressMode mode);
    /// Clears the live line. A phase that did not finish (an error) prints no summary.
    ~PhaseProgress();
    PhaseProgress(const PhaseProgress&) = delete;
    PhaseProgress& operator=(const PhaseProgress&) = delete;

    /// Shows `PHASE: STATUS` when it is due: on a terminal at most 10 times a second, in plain
    /// mode once per plain_progress_interval() (none for a phase shorter than that). `status`
    /// is called only then. Safe to call from several threads.
    void update(const std::function<std::string()>& status);
    /// Takes the live line off the terminal now (it comes back with the next update), so that
    /// other output can start on a clean line.
    void clear();
    /// Prints `line` as a line of its own (above the live line on a terminal); not when quiet.
    void print_line(std::string_view line);
    /// Clears the live line and prints `PHASE: SUMMARY in 1.2 s`; nothing when quiet. Further
    /// updates are ignored.
    void finish(std::string_view summary);

    ProgressMode mode() const { return mode_; }
    double seconds() const;

  private:
    void clear_locked();

    std::string phase_;
    ProgressMode mode_;
    Clock::time_point start_;
    Clock::time_point last_draw_;
    std::chrono::milliseconds interval_;
    bool drawn_ = false;
    bool finished_ = false;
    std::mutex mutex_;
};

/// `12.3 s` style elapsed seconds as the summary lines print them.
std::string phase_seconds(double seconds);

}  // namespace airlock

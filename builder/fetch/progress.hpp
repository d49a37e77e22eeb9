#pragma once
/// Download progress on stderr: on a terminal one redrawn aggregate line (bytes, speed, ETA,
/// files done) plus the few largest files in flight, every line cut to the terminal's width so
/// nothing wraps; plain periodic lines otherwise; or nothing (-q).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::fetch {

class ProgressDisplay {
  public:
    enum class Mode { tty, plain, quiet };
    using Clock = std::chrono::steady_clock;

    struct Totals {
        std::uint64_t bytes_done = 0;   ///< downloaded this run
        std::uint64_t bytes_total = 0;  ///< to download this run (known sizes only)
        std::size_t files_unsized = 0;  ///< files whose size is not known yet (not in the total)
        std::size_t files_done = 0;
        std::size_t files_total = 0;
        int connections = 0;
    };
    struct ActiveFile {
        std::string name;  ///< untrusted (from the index): escaped when drawn
        std::uint64_t done = 0;
        std::optional<std::uint64_t> size;
        int connections = 0;
    };

    ProgressDisplay(Mode mode, Clock::time_point start);
    ~ProgressDisplay();

    /// Redraws when due (10 Hz on a terminal, every 5 s in plain mode).
    void update(Clock::time_point now, const Totals& totals, std::vector<ActiveFile> active);
    /// Clears the live lines and prints one summary line.
    void finish(Clock::time_point now, const Totals& totals);

  private:
    void clear();

    Mode mode_;
    Clock::time_point start_;
    Clock::time_point last_draw_{};
    std::uint64_t last_bytes_ = 0;
    Clock::time_point last_rate_time_;
    double rate_ = 0;  ///< smoothed bytes/s
    int drawn_lines_ = 0;
};

/// How many files the terminal display lists under the aggregate line.
inline constexpr std::size_t progress_file_lines = 3;

/// The aggregate line, at most `width` - 1 columns (the last column is left free: writing into
/// it makes some terminals wrap). Fields are dropped from the end when the line is narrow.
std::string progress_summary_line(const ProgressDisplay::Totals& totals, double rate,
                                  std::size_t width);

/// The lines for the largest files of `active` (at most progress_file_lines, largest first),
/// each at most `width` - 1 columns, names escaped and shortened in the middle when needed.
std::vector<std::string> progress_file_lines_for(std::vector<ProgressDisplay::ActiveFile> active,
                                                 std::size_t width);

}  // namespace airlock::fetch

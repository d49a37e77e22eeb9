#pragma once
/// Download progress on stderr: on a terminal one redrawn aggregate line (bytes, speed, ETA,
/// files done) plus the largest active files; plain periodic lines otherwise; or nothing.

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
        std::size_t files_done = 0;
        std::size_t files_total = 0;
        int connections = 0;
    };
    struct ActiveFile {
        std::string name;
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

}  // namespace airlock::fetch

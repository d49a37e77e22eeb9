#pragma once
/// How many connections one server gets: grows while aggregate throughput grows (servers that
/// cap each connection), stops where it no longer helps (uncapped links), and drops to what the
/// server accepted on 503 / 429 / refused connections (servers that cap connections per client).

#include <chrono>
#include <cstdint>

namespace airlock::fetch {

class HostGovernor {
  public:
    using Clock = std::chrono::steady_clock;

    HostGovernor(int initial, int ceiling, Clock::time_point now);

    int allowed() const { return allowed_; }
    void on_bytes(std::uint64_t n) { window_bytes_ += n; }
    /// The server refused one more connection while `serving` others were in progress.
    void on_busy(int serving, Clock::time_point now);
    /// Called often; every window it compares throughput with the previous connection count.
    /// `active` is the number of transfers in flight; `starved` says whether work was lacking.
    void tick(Clock::time_point now, int active, bool starved);

    static constexpr std::chrono::milliseconds window{300};
    static constexpr std::chrono::milliseconds probe_after_busy{2000};

  private:
    int allowed_;
    int ceiling_;
    bool slow_start_ = true;
    bool saw_busy_ = false;
    int base_allowed_ = 0;  ///< connection count of the reference window
    double base_rate_ = 0;  ///< its throughput, bytes/s
    std::uint64_t window_bytes_ = 0;
    Clock::time_point window_start_;
    Clock::time_point last_busy_{};
    Clock::time_point last_change_{};
};

}  // namespace airlock::fetch

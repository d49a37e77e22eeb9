#pragma once
/// How many connections one server gets: grows while each added connection gets about as much
/// as the ones before it (servers that cap each connection), settles where they only share what
/// the others got (the link is full), and drops to what the server accepted on 503 / 429 /
/// refused connections (servers that cap connections per client).
///
/// Throughput is judged per connection, over settled transfers only, and over two windows at
/// least: a fresh request says little about a server (nginx's `limit_rate` sends a second's
/// worth at once, then paces in bursts of up to half a second; a small file comes whole at link
/// speed), and connections opened together burst together.

#include <chrono>
#include <cstdint>

namespace airlock::fetch {

class HostGovernor {
  public:
    using Clock = std::chrono::steady_clock;

    HostGovernor(int initial, int ceiling, Clock::time_point now);

    int allowed() const { return allowed_; }
    /// A transfer sent at or before this time is settled: its bytes in the current window
    /// measure the server (its first burst came in an earlier one).
    Clock::time_point settled_since() const { return window_start_ - window / 4; }
    /// `n` bytes arrived on a transfer; `settled`: one sent at or before settled_since().
    void on_bytes(std::uint64_t n, bool settled) {
        if (settled)
            settled_bytes_ += n;
    }
    /// The server refused one more connection while `serving` others were in progress.
    void on_busy(int serving, Clock::time_point now);
    /// Called often, after free connections were given work. `active` is the number of
    /// transfers in flight, `settled` how many of them were sent at or before settled_since();
    /// `starved` says whether work was lacking.
    void tick(Clock::time_point now, int active, int settled, bool starved);

    static constexpr std::chrono::milliseconds window{300};
    static constexpr std::chrono::milliseconds probe_after_busy{2000};
    /// Windows measured at one connection count before it is judged.
    static constexpr int windows_per_measure = 2;

  private:
    void change_to(int allowed, Clock::time_point now);

    int allowed_;
    int ceiling_;
    bool slow_start_ = true;
    bool saw_busy_ = false;
    bool doubled_unmeasured_ = false;
    int base_allowed_ = 0;             ///< the connection count measured before this one
    double base_per_connection_ = 0;   ///< its throughput per settled connection, bytes/s
    std::uint64_t settled_bytes_ = 0;  ///< this window's
    Clock::time_point window_start_;
    // The measure of the current connection count: settled bytes, connection-seconds, windows.
    double measured_bytes_ = 0;
    double measured_connection_seconds_ = 0;
    int measured_windows_ = 0;
    Clock::time_point last_busy_{};
    Clock::time_point last_change_{};
};

}  // namespace airlock::fetch

#include "builder/fetch/host_governor.hpp"

#include <algorithm>

namespace airlock::fetch {

HostGovernor::HostGovernor(int initial, int ceiling, Clock::time_point now)
    : allowed_(std::clamp(initial, 1, std::max(1, ceiling))),
      ceiling_(std::max(1, ceiling)),
      window_start_(now),
      last_change_(now) {}

void HostGovernor::on_busy(int serving, Clock::time_point now) {
    // Keep what the server is serving right now; probe again later, one connection at a time.
    allowed_ = std::clamp(serving, 1, allowed_);
    slow_start_ = false;
    saw_busy_ = true;
    last_busy_ = now;
    last_change_ = now;
    base_allowed_ = 0;
}

void HostGovernor::tick(Clock::time_point now, int active, bool starved) {
    auto elapsed = now - window_start_;
    if (elapsed < window)
        return;
    double seconds = std::chrono::duration<double>(elapsed).count();
    double rate = static_cast<double>(window_bytes_) / seconds;
    window_bytes_ = 0;
    window_start_ = now;
    // Only a window in which every allowed connection was busy says anything about the server.
    bool saturated = active >= allowed_ && !starved;
    if (!saturated || allowed_ >= ceiling_) {
        if (saturated)
            base_rate_ = std::max(base_rate_, rate);
        return;
    }
    if (saw_busy_) {
        // The server limits connections: step up by one now and then, in case the limit rose.
        if (now - last_busy_ >= probe_after_busy && now - last_change_ >= probe_after_busy) {
            allowed_ = std::min(ceiling_, allowed_ + 1);
            last_change_ = now;
        }
        return;
    }
    if (now < last_change_)
        return;  // cooling down after a probe that did not pay off
    if (base_allowed_ == 0) {
        base_allowed_ = allowed_;
        base_rate_ = rate;
        allowed_ =
            std::min(ceiling_, slow_start_ ? allowed_ * 2 : allowed_ + std::max(1, allowed_ / 4));
        last_change_ = now;
        return;
    }
    if (rate > base_rate_ * 1.1) {
        // More connections paid off: keep growing.
        base_allowed_ = allowed_;
        base_rate_ = rate;
        allowed_ =
            std::min(ceiling_, slow_start_ ? allowed_ * 2 : allowed_ + std::max(1, allowed_ / 4));
        last_change_ = now;
    } else if (now - last_change_ >= 2 * window) {
        // No gain: the link, not the server's per-connection cap, is the limit. Settle back,
        // and try growing again (gently) a while later.
        allowed_ = std::max(base_allowed_, 1);
        slow_start_ = false;
        base_allowed_ = 0;
        last_change_ = now + std::chrono::seconds(3);
    }
}

}  // namespace airlock::fetch

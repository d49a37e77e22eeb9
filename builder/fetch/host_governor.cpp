#include "builder/fetch/host_governor.hpp"

#include <algorithm>
#include <utility>

namespace airlock::fetch {

HostGovernor::HostGovernor(int initial, int ceiling, Clock::time_point now)
    : allowed_(std::clamp(initial, 1, std::max(1, ceiling))),
      ceiling_(std::max(1, ceiling)),
      window_start_(now),
      last_change_(now) {}

void HostGovernor::change_to(int allowed, Clock::time_point now) {
    allowed_ = std::clamp(allowed, 1, ceiling_);
    last_change_ = now;
    measured_bytes_ = 0;
    measured_connection_seconds_ = 0;
    measured_windows_ = 0;
}

void HostGovernor::on_busy(int serving, Clock::time_point now) {
    // Keep what the server is serving right now; probe again later, one connection at a time.
    change_to(std::clamp(serving, 1, allowed_), now);
    slow_start_ = false;
    saw_busy_ = true;
    last_busy_ = now;
    base_allowed_ = 0;
}

void HostGovernor::tick(Clock::time_point now, int active, int settled, bool starved) {
    auto elapsed = now - window_start_;
    if (elapsed < window)
        return;
    double seconds = std::chrono::duration<double>(elapsed).count();
    auto bytes = std::exchange(settled_bytes_, 0);
    window_start_ = now;
    // Only a window in which every allowed connection was busy says anything about the server.
    bool saturated = active >= allowed_ && !starved;
    if (!saturated || (allowed_ >= ceiling_ && base_allowed_ >= ceiling_))
        return;
    if (saw_busy_) {
        // The server limits connections: step up by one now and then, in case the limit rose.
        if (now - last_busy_ >= probe_after_busy && now - last_change_ >= probe_after_busy)
            change_to(allowed_ + 1, now);
        return;
    }
    if (now < last_change_)
        return;  // cooling down after a probe that did not pay off
    if (slow_start_ && !doubled_unmeasured_) {
        // The first busy window: double once unmeasured (what the first transfers brought says
        // little, and measuring there would cost two windows), then measure there.
        doubled_unmeasured_ = true;
        change_to(allowed_ * 2, now);
        return;
    }
    // A measure needs most connections settled: after a change, the new ones too.
    if (settled <= 0 || settled * 4 < allowed_ * 3)
        return;
    measured_bytes_ += static_cast<double>(bytes);
    measured_connection_seconds_ += seconds * settled;
    if (++measured_windows_ < windows_per_measure)
        return;
    double per_connection = measured_bytes_ / measured_connection_seconds_;
    // Were the connections only sharing a full link, each would get base × base_allowed /
    // allowed; growing paid off when each got clearly more: above the midpoint to the base.
    bool paid_off = true;
    if (base_allowed_ > 0) {
        double shared = static_cast<double>(base_allowed_) / allowed_;
        paid_off = per_connection >= base_per_connection_ * (1 + shared) / 2;
    }
    if (paid_off) {
        base_allowed_ = allowed_;
        base_per_connection_ = per_connection;
        change_to(slow_start_ ? allowed_ * 2 : allowed_ + std::max(1, allowed_ / 4), now);
    } else {
        // The link, not the server's cap per connection, is the limit. Settle back, and try
        // growing again (gently) a while later.
        change_to(base_allowed_, now);
        slow_start_ = false;
        base_allowed_ = 0;
        last_change_ = now + std::chrono::seconds(3);
    }
}

}  // namespace airlock::fetch

#include "core/base/phase_progress.hpp"

#include "core/base/terminal_columns.hpp"
#include "core/base/terminal_text.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace airlock {

ProgressMode stderr_progress_mode() {
    const char* term = std::getenv("TERM");
    if (::isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0))
        return ProgressMode::tty;
    return ProgressMode::plain;
}

std::chrono::milliseconds plain_progress_interval() {
    if (const char* env = std::getenv("AIRLOCK_PROGRESS_INTERVAL")) {
        char* end = nullptr;
        double s = std::strtod(env, &end);
        if (end != env && *end == '\0' && s >= 0.05 && s < 86400)
            return std::chrono::milliseconds(static_cast<long>(s * 1000));
    }
    return std::chrono::seconds(5);
}

std::string phase_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", seconds);
    return text;
}

PhaseProgress::PhaseProgress(std::string phase, ProgressMode mode)
    : phase_(std::move(phase)),
      mode_(mode),
      start_(Clock::now()),
      interval_(mode == ProgressMode::tty ? std::chrono::milliseconds(100)
                                          : plain_progress_interval()) {
    // A terminal shows the phase at once; plain mode first speaks after one interval.
    last_draw_ = mode == ProgressMode::tty ? start_ - interval_ : start_;
}

PhaseProgress::~PhaseProgress() {
    std::lock_guard lock(mutex_);
    clear_locked();
}

double PhaseProgress::seconds() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
}

void PhaseProgress::clear_locked() {
    if (mode_ != ProgressMode::tty || !drawn_)
        return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

void PhaseProgress::update(const std::function<std::string()>& status) {
    if (mode_ == ProgressMode::quiet)
        return;
    auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (finished_ || now - last_draw_ < interval_)
        return;
    last_draw_ = now;
    std::string line = phase_ + ": " + terminal_text(status());
    if (mode_ == ProgressMode::plain) {
        std::fprintf(stderr, "%s\n", line.c_str());
        std::fflush(stderr);
        return;
    }
    // The last column stays free: writing into it makes some terminals wrap.
    const std::size_t width = terminal_width(STDERR_FILENO);
    line = fit_columns(line, width > 1 ? width - 1 : 0);
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void PhaseProgress::clear() {
    std::lock_guard lock(mutex_);
    if (drawn_)
        last_draw_ = Clock::now() - interval_;
    clear_locked();
}

void PhaseProgress::print_line(std::string_view line) {
    if (mode_ == ProgressMode::quiet)
        return;
    std::lock_guard lock(mutex_);
    clear_locked();
    std::string text = terminal_text(line);
    std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
    last_draw_ = Clock::now() - interval_;  // the live line comes back with the next update
    if (mode_ == ProgressMode::plain)
        last_draw_ = Clock::now();
}

void PhaseProgress::finish(std::string_view summary) {
    std::lock_guard lock(mutex_);
    if (finished_)
        return;
    finished_ = true;
    if (mode_ == ProgressMode::quiet)
        return;
    clear_locked();
    std::string line = phase_ + ": " + terminal_text(summary) + " in " + phase_seconds(seconds());
    if (mode_ == ProgressMode::tty) {
        const std::size_t width = terminal_width(STDERR_FILENO);
        line = fit_columns(line, width > 1 ? width - 1 : 0);
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

}  // namespace airlock

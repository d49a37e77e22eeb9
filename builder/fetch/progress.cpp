#include "builder/fetch/progress.hpp"

#include "core/base/human_size.hpp"

#include <algorithm>
#include <cstdio>

namespace airlock::fetch {

ProgressDisplay::ProgressDisplay(Mode mode, Clock::time_point start)
    : mode_(mode), start_(start), last_rate_time_(start) {}

ProgressDisplay::~ProgressDisplay() {
    clear();
}

namespace {

std::string format_duration(double seconds) {
    char text[32];
    auto s = static_cast<long>(seconds + 0.5);
    if (s >= 3600) {
        std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    } else {
        std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    }
    return text;
}

}  // namespace

void ProgressDisplay::clear() {
    if (mode_ != Mode::tty || drawn_lines_ == 0)
        return;
    // Move up over what was drawn and erase to the end of the screen.
    std::fprintf(stderr, "\r\x1b[%dA\x1b[J", drawn_lines_);
    drawn_lines_ = 0;
}

void ProgressDisplay::update(Clock::time_point now, const Totals& totals,
                             std::vector<ActiveFile> active) {
    if (mode_ == Mode::quiet)
        return;
    auto interval =
        mode_ == Mode::tty ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (now - last_draw_ < interval)
        return;
    last_draw_ = now;
    double dt = std::chrono::duration<double>(now - last_rate_time_).count();
    if (dt > 0.05) {
        double instant = static_cast<double>(totals.bytes_done - last_bytes_) / dt;
        rate_ = rate_ == 0 ? instant : 0.7 * rate_ + 0.3 * instant;
        last_bytes_ = totals.bytes_done;
        last_rate_time_ = now;
    }
    std::string eta = "--";
    if (rate_ > 1 && totals.bytes_total > totals.bytes_done) {
        eta = format_duration(static_cast<double>(totals.bytes_total - totals.bytes_done) / rate_);
    }
    char line[256];
    std::snprintf(line, sizeof line, "%s / %s  %s/s  ETA %s  files %zu/%zu  connections %d",
                  human_size(totals.bytes_done).c_str(), human_size(totals.bytes_total).c_str(),
                  human_size(static_cast<std::uint64_t>(rate_)).c_str(), eta.c_str(),
                  totals.files_done, totals.files_total, totals.connections);
    if (mode_ == Mode::plain) {
        std::fprintf(stderr, "download: %s\n", line);
        return;
    }
    clear();
    std::string out = std::string(line) + "\n";
    std::sort(active.begin(), active.end(), [](const ActiveFile& a, const ActiveFile& b) {
        return a.size.value_or(a.done) > b.size.value_or(b.done);
    });
    int lines = 1;
    for (std::size_t i = 0; i < active.size() && i < 4; ++i) {
        const auto& f = active[i];
        std::string name = f.name.size() > 60 ? f.name.substr(0, 57) + "..." : f.name;
        char row[256];
        if (f.size && *f.size > 0) {
            std::snprintf(row, sizeof row, "  %-60s %5.1f%% of %s (%d conn)\n", name.c_str(),
                          100.0 * static_cast<double>(f.done) / static_cast<double>(*f.size),
                          human_size(*f.size).c_str(), f.connections);
        } else {
            std::snprintf(row, sizeof row, "  %-60s %s\n", name.c_str(),
                          human_size(f.done).c_str());
        }
        out += row;
        ++lines;
    }
    std::fputs(out.c_str(), stderr);
    std::fflush(stderr);
    drawn_lines_ = lines;
}

void ProgressDisplay::finish(Clock::time_point now, const Totals& totals) {
    if (mode_ == Mode::quiet)
        return;
    clear();
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(totals.bytes_done) / seconds : 0;
    std::fprintf(stderr, "download: %zu/%zu files, %s in %.1f s (%s/s)\n", totals.files_done,
                 totals.files_total, human_size(totals.bytes_done).c_str(), seconds,
                 human_size(static_cast<std::uint64_t>(rate)).c_str());
}

}  // namespace airlock::fetch

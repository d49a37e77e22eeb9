#include "builder/fetch/progress.hpp"

#include "core/base/human_size.hpp"
#include "core/base/phase_progress.hpp"
#include "core/base/terminal_columns.hpp"
#include "core/base/terminal_text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace airlock::fetch {

ProgressDisplay::ProgressDisplay(Mode mode, Clock::time_point start)
    : mode_(mode),
      start_(start),
      // Plain mode first speaks after one interval (a short download prints its summary only).
      last_draw_(mode == Mode::plain ? start : Clock::time_point{}),
      last_rate_time_(start) {}

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

std::string progress_summary_line(const ProgressDisplay::Totals& totals, double rate,
                                  std::size_t width) {
    const std::size_t budget = width > 1 ? width - 1 : 0;
    // Unsized files not started yet: the total is a lower bound ("≥"), or unknown ("?").
    std::string total = human_size(totals.bytes_total);
    if (totals.files_unsized)
        total = totals.bytes_total ? "≥" + total : "?";
    std::string amount = human_size(totals.bytes_done) + " / " + total;
    std::vector<std::string> fields{amount};
    if (totals.bytes_total > 0 && totals.files_unsized == 0) {
        char pct[16];
        std::snprintf(pct, sizeof pct, "%3.0f%%",
                      100.0 * static_cast<double>(std::min(totals.bytes_done, totals.bytes_total)) /
                          static_cast<double>(totals.bytes_total));
        fields.push_back(pct);
    }
    fields.push_back(human_size(static_cast<std::uint64_t>(rate)) + "/s");
    std::string eta = "--";
    if (rate > 1 && totals.bytes_total > totals.bytes_done && totals.files_unsized == 0)
        eta = format_duration(static_cast<double>(totals.bytes_total - totals.bytes_done) / rate);
    fields.push_back("ETA " + eta);
    fields.push_back("files " + std::to_string(totals.files_done) + "/" +
                     std::to_string(totals.files_total));
    fields.push_back(std::to_string(totals.connections) + " conn");
    std::string line;
    for (const auto& f : fields) {
        std::string next = line.empty() ? f : line + "  " + f;
        if (columns(next) > budget)
            break;
        line = std::move(next);
    }
    return line.empty() ? fit_columns(amount, budget) : line;
}

std::vector<std::string> progress_file_lines_for(std::vector<ProgressDisplay::ActiveFile> active,
                                                 std::size_t width) {
    const std::size_t budget = width > 1 ? width - 1 : 0;
    std::stable_sort(active.begin(), active.end(), [](const auto& a, const auto& b) {
        return a.size.value_or(a.done) > b.size.value_or(b.done);
    });
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < active.size() && i < progress_file_lines; ++i) {
        const auto& f = active[i];
        char tail[96];
        if (f.size && *f.size > 0) {
            std::snprintf(tail, sizeof tail, "%3.0f%% of %s",
                          100.0 * static_cast<double>(std::min(f.done, *f.size)) /
                              static_cast<double>(*f.size),
                          human_size(*f.size).c_str());
        } else {
            std::snprintf(tail, sizeof tail, "%s", human_size(f.done).c_str());
        }
        const std::string suffix = std::string(tail);
        // "  NAME  SUFFIX": the name gets what is left, at least a few columns.
        const std::size_t fixed = 2 + 2 + suffix.size();
        if (budget < fixed + 4) {
            lines.push_back(fit_columns("  " + terminal_text(f.name), budget));
            continue;
        }
        lines.push_back("  " + fit_columns(terminal_text(f.name), budget - fixed) + "  " + suffix);
    }
    return lines;
}

void ProgressDisplay::clear() {
    if (mode_ != Mode::tty || drawn_lines_ == 0)
        return;
    // Move up over what was drawn (no line wraps: each is shorter than the terminal) and erase
    // to the end of the screen.
    std::fprintf(stderr, "\r\x1b[%dA\x1b[J", drawn_lines_);
    drawn_lines_ = 0;
}

void ProgressDisplay::update(Clock::time_point now, const Totals& totals,
                             std::vector<ActiveFile> active) {
    if (mode_ == Mode::quiet)
        return;
    auto interval = mode_ == Mode::tty ? std::chrono::milliseconds(100) : plain_progress_interval();
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
    if (mode_ == Mode::plain) {
        std::fprintf(stderr, "download: %s\n", progress_summary_line(totals, rate_, 1000).c_str());
        std::fflush(stderr);
        return;
    }
    const std::size_t width = terminal_width(STDERR_FILENO);
    std::string out = progress_summary_line(totals, rate_, width) + "\n";
    int lines = 1;
    for (const auto& line : progress_file_lines_for(std::move(active), width)) {
        out += line + "\n";
        ++lines;
    }
    clear();
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

#include "builder/fetch/progress.hpp"

#include <gtest/gtest.h>

namespace airlock::fetch {
namespace {

using Totals = ProgressDisplay::Totals;
using ActiveFile = ProgressDisplay::ActiveFile;

/// Code points (every test string below is narrow apart from the ones checked separately).
std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

Totals sample() {
    Totals t;
    t.bytes_done = 123456789;
    t.bytes_total = 2684354560;
    t.files_done = 12;
    t.files_total = 40;
    t.connections = 24;
    return t;
}

TEST(Progress, SummaryLineAt80Columns) {
    EXPECT_EQ(progress_summary_line(sample(), 3.5 * 1024 * 1024, 80),
              "117.7 MiB / 2.5 GiB    5%  3.5 MiB/s  ETA 11m38s  files 12/40  24 conn");
}

TEST(Progress, SummaryLineDropsFieldsWhenNarrow) {
    for (std::size_t width : {1u, 10u, 20u, 30u, 40u, 50u, 60u, 79u, 80u, 120u}) {
        auto line = progress_summary_line(sample(), 3.5 * 1024 * 1024, width);
        EXPECT_LE(code_points(line), width > 0 ? width - 1 : 0) << width << ": " << line;
    }
    EXPECT_EQ(progress_summary_line(sample(), 3.5 * 1024 * 1024, 40),
              "117.7 MiB / 2.5 GiB    5%  3.5 MiB/s");
}

TEST(Progress, UnknownSizesAreNotAWrongTotal) {
    Totals t = sample();
    t.bytes_total = 1024;
    t.files_unsized = 3;
    auto line = progress_summary_line(t, 0, 80);
    EXPECT_EQ(line, "117.7 MiB / ≥1.0 KiB  0 B/s  ETA --  files 12/40  24 conn");
    t.bytes_total = 0;
    EXPECT_EQ(progress_summary_line(t, 0, 80),
              "117.7 MiB / ?  0 B/s  ETA --  files 12/40  24 conn");
}

TEST(Progress, FileLinesAreTheLargestAndFit) {
    std::vector<ActiveFile> active{
        {"small-1.0-py3-none-any.whl", 10, 100, 1},
        {"torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl", 512ull << 20, 2560ull << 20, 16},
        {"nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl", 1, 700ull << 20, 8},
        {"unsized-1.0-py3-none-any.whl", 5000, std::nullopt, 1},
        {"mid-1.0-py3-none-any.whl", 0, 1ull << 20, 1},
    };
    auto lines = progress_file_lines_for(active, 80);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "  torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl   20% of 2.5 GiB");
    EXPECT_EQ(lines[1],
              "  nvidia_cudnn_cu12-9.1.0.70-py3-none-ma…inux2014_x86_64.whl    0% of 700.0 MiB");
    EXPECT_EQ(lines[2], "  mid-1.0-py3-none-any.whl    0% of 1.0 MiB");
    for (std::size_t width : {5u, 12u, 20u, 40u, 60u, 80u}) {
        for (const auto& line : progress_file_lines_for(active, width))
            EXPECT_LE(code_points(line), width - 1) << width << ": " << line;
    }
    lines = progress_file_lines_for(active, 50);
    EXPECT_EQ(lines[0], "  torch-2.5.1+cu124-cp…86_64.whl   20% of 2.5 GiB");
}

TEST(Progress, NamesFromTheIndexAreEscapedAndCutAtCodePoints) {
    std::vector<ActiveFile> active{{"evil\x1b[2J-1.0-py3-none-any.whl", 1, 10, 1}};
    auto lines = progress_file_lines_for(active, 80);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].find('\x1b'), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\\x1b[2J"), std::string::npos) << lines[0];
    // Wide characters count twice and are never split.
    active = {{"数据数据数据数据数据数据数据数据数据数据-1.0-py3-none-any.whl", 1, 10, 1}};
    for (std::size_t width : {20u, 30u, 41u}) {
        auto line = progress_file_lines_for(active, width).at(0);
        std::size_t cols = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            auto c = static_cast<unsigned char>(line[i]);
            if ((c & 0xC0) == 0x80)
                continue;
            cols += (c == 0xE1 || c >= 0xE3) ? 2 : 1;
            const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            ASSERT_LE(i + len, line.size()) << "cut inside a code point: " << line;
            for (std::size_t k = 1; k < len; ++k) {
                ASSERT_EQ(static_cast<unsigned char>(line[i + k]) & 0xC0, 0x80) << line;
            }
        }
        EXPECT_LE(cols, width - 1) << line;
    }
}

}  // namespace
}  // namespace airlock::fetch

// Benchmark driver for tests/bench/conda_bench.py: indexes one repodata.json(.zst) the way the
// builder does (builder/conda/repodata.hpp), then parses the records of the named packages.
// Prints one JSON object: index time, lookup time, counts, and this process's peak RSS.
//
//     conda_probe REPODATA [NAME...]

#include "builder/conda/repodata.hpp"
#include "core/base/error.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: conda_probe REPODATA [NAME...]\n");
        return 2;
    }
    try {
        using clock = std::chrono::steady_clock;
        auto t0 = clock::now();
        std::clock_t c0 = std::clock();
        auto repodata = airlock::conda::Repodata::read_file(argv[1]);
        auto t1 = clock::now();
        std::clock_t c1 = std::clock();
        std::size_t records = 0, depends = 0;
        std::vector<std::string> rejected;
        for (int i = 2; i < argc; ++i) {
            for (const auto& r : repodata.records(argv[i], &rejected)) {
                ++records;
                depends += r.depends.size();
            }
        }
        auto t2 = clock::now();
        std::clock_t c2 = std::clock();
        struct rusage usage {};
        getrusage(RUSAGE_SELF, &usage);
        auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
        std::printf(
            "{\"index_s\": %.4f, \"lookup_s\": %.4f, \"index_cpu_s\": %.4f, \"lookup_cpu_s\": "
            "%.4f, \"entries\": %zu, \"skipped\": %zu, "
            "\"names\": %zu, \"looked_up\": %d, \"records\": %zu, \"depends\": %zu, "
            "\"rejected\": %zu, \"peak_rss_kib\": %ld}\n",
            seconds(t1 - t0), seconds(t2 - t1), double(c1 - c0) / CLOCKS_PER_SEC,
            double(c2 - c1) / CLOCKS_PER_SEC, repodata.entry_count(), repodata.skipped_count(),
            repodata.names().size(), argc - 2, records, depends, rejected.size(), usage.ru_maxrss);
        for (std::size_t i = 0; i < rejected.size() && i < 3; ++i)
            std::fprintf(stderr, "rejected: %s\n", rejected[i].c_str());
        return 0;
    } catch (const airlock::Error& e) {
        std::fprintf(stderr, "%s", e.render().c_str());
        return static_cast<int>(e.exit());
    }
}

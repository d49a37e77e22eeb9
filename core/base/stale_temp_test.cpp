#include "core/base/stale_temp.hpp"

#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace airlock;

TEST(StaleTemp, RemovesOnlyTheTemporariesNoWriterHolds) {
    test_support::TempDir temp("airlock-stale-temp-");
    const auto& dir = temp.path();
    const auto dest = dir / "out.bundle";
    // A writer that died (kill -9): its temporary exists, nobody holds its lock.
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        fs::path p;
        int fd = create_locked_temp(dest, p);
        ::_exit(fd >= 0 && ::write(fd, "x", 1) == 1 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_EQ(WEXITSTATUS(status), 0);
    // A live writer (this process), other files that only look alike, and the output itself.
    fs::path live;
    int fd = create_locked_temp(dest, live);
    ASSERT_GE(fd, 0);
    for (const char* name : {"out.bundle", ".out.bundle.tmp-short", ".other.tmp-ABCDEF"})
        test_support::write_file(dir / name, "keep");
    std::size_t temps = 0;
    for (const auto& e : fs::directory_iterator(dir))
        temps += e.path().filename().string().starts_with(".out.bundle.tmp-") ? 1 : 0;
    EXPECT_EQ(temps, 3u);  // the dead writer's, the live one's, the short look-alike

    EXPECT_EQ(remove_stale_temps(dest), 1u);
    EXPECT_TRUE(fs::exists(live));
    EXPECT_TRUE(fs::exists(dir / ".out.bundle.tmp-short"));
    EXPECT_TRUE(fs::exists(dir / ".other.tmp-ABCDEF"));
    EXPECT_TRUE(fs::exists(dest));
    EXPECT_EQ(remove_stale_temps(dest), 0u);
    ::close(fd);
    EXPECT_EQ(remove_stale_temps(dest), 1u);  // once its writer is gone, it is stale too
    EXPECT_FALSE(fs::exists(live));
}

#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/process.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace airlock::test_support {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, FreshPrivateAndRemovedWithItsContents) {
    fs::path kept;
    {
        TempDir a("airlock-support-");
        TempDir b("airlock-support-");
        EXPECT_NE(a.path(), b.path());
        EXPECT_TRUE(fs::is_directory(a.path()));
        EXPECT_TRUE(fs::is_empty(a.path()));
        EXPECT_EQ(a.path().filename().string().rfind("airlock-support-", 0), 0u);
        EXPECT_EQ(fs::status(a.path()).permissions() & fs::perms::all, fs::perms::owner_all);
        fs::create_directories(a / "x" / "y");
        write_file(a / "x" / "y" / "f", "bytes");
        fs::permissions(a / "x", fs::perms::owner_read | fs::perms::owner_exec);
        kept = a.path();
    }
    EXPECT_FALSE(fs::exists(kept));
}

TEST(FileBytes, RoundTripsBinaryAndNamesAMissingFile) {
    TempDir dir;
    std::string bytes("a\0b\r\n\xff", 6);
    write_file(dir / "f", bytes);
    EXPECT_EQ(read_file(dir / "f"), bytes);
    write_file(dir / "f", "short");
    EXPECT_EQ(read_file(dir / "f"), "short");
    try {
        read_file(dir / "missing");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
    }
    EXPECT_THROW(write_file(dir / "no" / "such" / "dir", "x"), std::runtime_error);
}

TEST(Process, OutputExitCodeSignalsAndStderr) {
    auto r = run_process({"printf", "%s-%s", "a b", "c"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.output, "a b-c");
    EXPECT_EQ(run_shell("exit 3").exit_code, 3);
    EXPECT_EQ(run_shell("kill -TERM $$").exit_code, 128 + SIGTERM);
    EXPECT_EQ(run_shell("echo out; echo err >&2", Stderr::merged).output, "out\nerr\n");
    EXPECT_EQ(run_shell("echo out; echo err >&2", Stderr::discarded).output, "out\n");
    EXPECT_EQ(run_shell("cat").output, "");  // stdin is /dev/null
    TempDir dir;
    EXPECT_EQ(run_process({"pwd", "-P"}, Stderr::passed_through, dir.path()).output,
              fs::canonical(dir.path()).string() + "\n");
    auto missing = run_process({"airlock-no-such-program"});
    EXPECT_EQ(missing.exit_code, 127);
    EXPECT_NE(missing.output.find("airlock-no-such-program"), std::string::npos);
}

}  // namespace
}  // namespace airlock::test_support

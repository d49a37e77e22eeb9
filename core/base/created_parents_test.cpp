#include "core/base/created_parents.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace airlock {
namespace {
namespace fs = std::filesystem;

TEST(CreatedParents, CreatesMissingDirectoriesAndKeepsThemOnCommit) {
    test_support::TempDir temp("airlock-parents-commit-");
    const auto& dir = temp.path();
    EXPECT_EQ(missing_directories(dir / "a" / "b"),
              (std::vector<fs::path>{dir / "a", dir / "a" / "b"}));
    EXPECT_TRUE(missing_directories(dir).empty());
    {
        CreatedParents p(dir / "a" / "b", "the venv");
        EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
        EXPECT_EQ(p.created().size(), 2u);
        p.commit();
    }
    EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
}

TEST(CreatedParents, RemovesWhatItCreatedOnFailureButNothingElse) {
    test_support::TempDir temp("airlock-parents-rollback-");
    const auto& dir = temp.path();
    fs::create_directories(dir / "kept");
    {
        CreatedParents p(dir / "kept" / "x" / "y", "the venv");
        EXPECT_TRUE(fs::is_directory(dir / "kept" / "x" / "y"));
    }
    EXPECT_FALSE(fs::exists(dir / "kept" / "x"));
    EXPECT_TRUE(fs::is_directory(dir / "kept"));
    {
        // A directory someone filled meanwhile is not removed.
        CreatedParents p(dir / "kept" / "x" / "y", "the venv");
        test_support::write_file(dir / "kept" / "x" / "note.txt", "mine");
    }
    EXPECT_TRUE(fs::exists(dir / "kept" / "x" / "note.txt"));
    EXPECT_FALSE(fs::exists(dir / "kept" / "x" / "y"));
}

TEST(CreatedParents, NamesTheDirectoryItCannotCreate) {
    test_support::TempDir temp("airlock-parents-file-");
    const auto& dir = temp.path();
    test_support::write_file(dir / "file", "not a directory");
    try {
        CreatedParents p(dir / "file" / "env", "the venv");
        FAIL();
    } catch (const Error& e) {
        auto text = e.render();
        EXPECT_NE(text.find("cannot create the directory `" + (dir / "file" / "env").string() +
                            "` for the venv: Not a directory"),
                  std::string::npos)
            << text;
    }
    if (::geteuid() != 0) {
        fs::create_directories(dir / "ro");
        fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
        try {
            CreatedParents p(dir / "ro" / "a" / "b", "the venv");
            FAIL();
        } catch (const Error& e) {
            EXPECT_NE(e.render().find("Permission denied"), std::string::npos) << e.render();
            EXPECT_NE(e.hint().find("sudo mkdir -p"), std::string::npos) << e.hint();
        }
        fs::permissions(dir / "ro", fs::perms::owner_all);
    }
}

}  // namespace
}  // namespace airlock

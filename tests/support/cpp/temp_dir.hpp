#pragma once
/// A fresh temporary directory for a test, removed with everything in it when the test is done.

#include <filesystem>
#include <string>

namespace airlock::test_support {

/// `mkdtemp` under the system's temp directory (`$TMPDIR`, else /tmp): a new, empty, private
/// directory named `<prefix>XXXXXX`, so tests running at once never share one. The destructor
/// removes the tree, unless `AIRLOCK_KEEP_TEMP` is set (then it prints where it is).
class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "airlock-test-");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& child) const {
        return path_ / child;
    }

  private:
    std::filesystem::path path_;
};

}  // namespace airlock::test_support

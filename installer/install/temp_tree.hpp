#pragma once
/// A directory that exists only for the duration of one operation (ccache's AtomicFile idea for
/// trees): removed with everything in it when the owner goes away, unless kept.

#include <filesystem>
#include <string>

namespace airlock::install {

class TempTree {
  public:
    /// Creates `<parent>/<prefix>XXXXXX` (mode 0700). Throws Error naming `parent`.
    TempTree(const std::filesystem::path& parent, const std::string& prefix);
    ~TempTree();
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;

    const std::filesystem::path& path() const { return path_; }
    /// Removes the tree now (idempotent); errors are ignored.
    void remove() noexcept;
    /// Stops the destructor from removing it (the caller renamed it into place).
    void release() { path_.clear(); }

  private:
    std::filesystem::path path_;
};

/// A directory this program is about to create (a venv): removed on destruction unless commit()
/// was called. When it existed already (empty), only what was put inside is removed.
class CreatedDirectory {
  public:
    explicit CreatedDirectory(std::filesystem::path path);
    ~CreatedDirectory();
    CreatedDirectory(const CreatedDirectory&) = delete;
    CreatedDirectory& operator=(const CreatedDirectory&) = delete;
    void commit() { committed_ = true; }

  private:
    std::filesystem::path path_;
    bool existed_ = false;
    bool committed_ = false;
};

}  // namespace airlock::install

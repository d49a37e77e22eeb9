#pragma once
/// The missing parent directories of a destination (`--venv /opt/envs/torch` when /opt/envs does
/// not exist yet), created like `mkdir -p` and removed again when the operation fails.

#include <filesystem>
#include <string>
#include <vector>

namespace airlock {

class CreatedParents {
  public:
    /// Creates `dir` and every missing directory above it (mode 0755 less the umask). Throws
    /// Error naming the first directory that could not be created, with what to do. `what`
    /// names the destination in messages ("the venv", "the export").
    CreatedParents(const std::filesystem::path& dir, const std::string& what);
    /// Removes the directories it created (deepest first, only while empty) unless committed.
    ~CreatedParents();
    CreatedParents(const CreatedParents&) = delete;
    CreatedParents& operator=(const CreatedParents&) = delete;

    void commit() { created_.clear(); }
    /// The directories it created, outermost first.
    const std::vector<std::filesystem::path>& created() const { return created_; }

  private:
    void remove_created() noexcept;
    std::vector<std::filesystem::path> created_;
};

/// The directories `CreatedParents(dir)` would create, outermost first (for --dry-run plans).
std::vector<std::filesystem::path> missing_directories(const std::filesystem::path& dir);

}  // namespace airlock

#pragma once
/// A faithful copy of a directory tree on one filesystem (what `cp -a` keeps): regular files
/// (contents with copy_file_range, which clones where the filesystem can), directories, symlinks
/// and hard links among the copied files, each with its mode, owner (when permitted) and
/// modification time. Used to snapshot a venv or conda prefix before pip changes it in place.

#include <cstdint>
#include <filesystem>

namespace airlock::install {

struct CopiedTree {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
};

/// Copies the tree `from` to `to` (which must not exist). Throws Error naming the path and the
/// system's reason (ENOSPC: "No space left on device") at the first failure; what was copied
/// until then stays for the caller to remove.
CopiedTree copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace airlock::install

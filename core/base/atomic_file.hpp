#pragma once
/// Files that appear whole or not at all (STYLE.md §8): the bytes go to a temporary file beside
/// the destination, which is renamed over it only once everything was written.

#include <sys/types.h>

#include <filesystem>
#include <string_view>

namespace airlock {

enum class Overwrite { yes, no };
/// `fsync` before the rename for files that must survive a power cut (keys); caches and lock
/// files that a rerun regenerates skip it.
enum class Durability { rename_only, fsync };
/// Whether missing parent directories are made (caches) or are an error (user-named outputs).
enum class Parents { must_exist, create };

struct AtomicWrite {
    mode_t mode = 0644;
    Overwrite overwrite = Overwrite::yes;
    Durability durability = Durability::rename_only;
    Parents parents = Parents::must_exist;
};

/// Writes `bytes` to `path` atomically. With Overwrite::no an existing `path` is an Error and is
/// left untouched (checked atomically by the final link). Throws Error naming the path and the
/// system's reason; no temporary file is left behind.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                           const AtomicWrite& how = {});

}  // namespace airlock

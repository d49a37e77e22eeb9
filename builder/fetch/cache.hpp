#pragma once
/// The content-addressed download cache: `<root>/blobs/sha256/<2 hex>/<62 hex>`, written only
/// with verified bytes and atomically (temporary file, rename; see commit() for why no fsync).

#include <filesystem>
#include <optional>
#include <string_view>

namespace airlock::fetch {

class Cache {
  public:
    explicit Cache(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path blob_path(std::string_view sha256) const;
    /// The blob for `sha256` when it is present.
    std::optional<std::filesystem::path> lookup(std::string_view sha256) const;
    /// Where partial downloads and their state files live (same filesystem as blobs).
    std::filesystem::path tmp_dir() const;
    /// Moves `verified` (hashed to `sha256`) into place; returns the blob path.
    std::filesystem::path commit(const std::filesystem::path& verified,
                                 std::string_view sha256) const;

  private:
    std::filesystem::path root_;
};

/// Makes `dest` a hard link to `blob` (a copy across filesystems), atomically: `dest` appears
/// whole or not at all, replacing any previous file.
void place_file(const std::filesystem::path& blob, const std::filesystem::path& dest);

}  // namespace airlock::fetch

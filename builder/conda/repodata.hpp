#pragma once
/// A channel subdir's `repodata.json`
/// (https://docs.conda.io/projects/conda-build/en/latest/concepts/generating-index.html), indexed
/// by package name lazily: one pass over the bytes (simdjson On-Demand) records where each entry of
/// `packages` and `packages.conda` is, under the name its file name gives
/// (`numpy-1.26.4-py312h_0.conda` → `numpy`), and a record is parsed only when its name is
/// asked for. conda-forge's linux-64 (~300 MB, ~450k entries) indexes in well under a second
/// and costs the bytes themselves plus ~30 bytes per entry.
///
/// Namespace airlock::conda, like core/conda: this is the builder-side reader of the same
/// format (the installer never reads remote repodata).

#include "core/conda/package_record.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace airlock::conda {

class Repodata {
  public:
    /// Indexes `bytes`: repodata.json, or repodata.json.zst (recognised by the zstd magic
    /// number and decompressed first). `source` names the input in errors (a URL or a path,
    /// without credentials). Throws airlock::Error when the bytes are not JSON, not a JSON
    /// object, or `packages` / `packages.conda` are not objects; single bad entries are not
    /// errors at this stage (see records()).
    static Repodata parse(std::string bytes, std::string_view source);
    /// Reads and indexes a file (repodata.json or repodata.json.zst). A plain JSON file is
    /// mapped, not copied: the file must not change while the Repodata lives (the channel
    /// client's cache replaces files by rename, which keeps the mapped one intact).
    static Repodata read_file(const std::filesystem::path& path);

    Repodata(Repodata&&) noexcept;
    Repodata& operator=(Repodata&&) noexcept;
    ~Repodata();

    /// `info.subdir` (`linux-64`), empty when absent.
    const std::string& subdir() const;
    /// `info.base_url` (repodata v2: where the files are, when not beside repodata.json),
    /// empty when absent.
    const std::string& base_url() const;

    /// Entries indexed (both sections, before `.conda`/`.tar.bz2` duplicates are merged).
    std::size_t entry_count() const;
    /// Entries whose key was not a valid package file name (skipped).
    std::size_t skipped_count() const;
    /// Every package name (normalised, lower case), sorted.
    std::vector<std::string> names() const;
    bool contains(std::string_view name) const;

    /// The records of `name` (any case), parsed now, in the file's order; when a build exists
    /// as both `.conda` and `.tar.bz2`, only the `.conda` one. `fn` is set from the key;
    /// `url` and `channel` are left empty (the channel client knows them). A record that does
    /// not parse is left out, and its error message appended to `rejected` when given.
    /// Safe to call from several threads at once.
    std::vector<PackageRecord> records(std::string_view name,
                                       std::vector<std::string>* rejected = nullptr) const;

  private:
    Repodata();
    /// Builds the by-name index over state_'s bytes.
    static void index(Repodata& out, std::string_view source);

    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace airlock::conda

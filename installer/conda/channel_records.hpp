#pragma once
/// The records of a bundle's local channel: `conda/<subdir>/repodata.json` (conda's repodata
/// format: `packages` and `packages.conda`, records keyed by file name). Untrusted JSON: only
/// fields of the expected types are taken, and a record is checked against the manifest's entry
/// for its file (sha256, size, md5) before anything uses it.

#include "core/bundle/bundle_manifest.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::install::conda {

struct ChannelRecord {
    std::string name, version, build, subdir;  ///< as the record says (empty when absent)
    std::string sha256;
    std::string md5;
    std::optional<std::uint64_t> size;
    std::vector<std::string> depends;
};

/// The records of one repodata.json, by file name. Throws Error for text that is not the format.
std::map<std::string, ChannelRecord> read_repodata(const std::filesystem::path& file);

/// Checks `record` against the manifest's entry for the package file: the same sha256 and size,
/// and the same md5 when both have one. Throws Error saying which differs.
void check_record(const ChannelRecord& record, const bundle::BundleFile& file);

/// Checks that `record` describes the file `filename` of `subdir`: its name, version and build
/// are those of the file name, its subdir (when given) is `subdir`, and each of its depends is a
/// conda match spec. A conda, mamba or micromamba given the bundle's channel (`--use`) would
/// install what the record says. Throws Error naming the field and both values (escaped).
void check_record_identity(const ChannelRecord& record, std::string_view filename,
                           std::string_view subdir);

}  // namespace airlock::install::conda

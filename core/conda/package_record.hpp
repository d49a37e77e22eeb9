#pragma once
/// One conda package record: an entry of a channel's `repodata.json` (under `packages` or
/// `packages.conda`, keyed by file name) or a package's `info/index.json`
/// (https://docs.conda.io/projects/conda-build/en/latest/resources/package-spec.html).
///
/// Parsing is the trust boundary: the name, version, build, file name, subdir and digests are
/// validated once here; everything else is kept as text. `depends` and `constrains` stay
/// strings (MatchSpec::parse them when needed: a solve touches few records).

#include "core/conda/package_filename.hpp"
#include "core/conda/package_name.hpp"
#include "core/conda/version.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

enum class NoArch : std::uint8_t { none, generic, python };

struct PackageRecord {
    PackageName name;
    Version version;
    std::string build;
    std::uint64_t build_number = 0;
    std::string subdir;                   ///< `linux-64`, `noarch`…; may be empty in old repodata
    std::vector<std::string> depends;     ///< MatchSpec strings
    std::vector<std::string> constrains;  ///< MatchSpec strings: "if present, must match"
    std::vector<std::string> track_features;  ///< de-prioritising features (`cpuonly`)
    std::string features;                     ///< legacy, kept for round-trips
    std::string license;
    std::string license_family;
    std::uint64_t timestamp = 0;  ///< milliseconds since 1970 (seconds in the input are scaled)
    std::uint64_t size = 0;       ///< bytes of the package file; 0 when unknown
    std::string sha256;           ///< lower-case hex, or empty
    std::string md5;              ///< lower-case hex, or empty
    NoArch noarch = NoArch::none;
    std::string arch;      ///< legacy `arch` (`x86_64`), kept for round-trips
    std::string platform;  ///< legacy `platform` (`linux`), kept for round-trips

    // Where the package comes from; not part of the JSON entry, filled in by the reader.
    std::string fn;       ///< file name, `name-version-build.conda`
    std::string url;      ///< full download URL, when known
    std::string channel;  ///< channel name or URL, as the caller names it (MatchSpec `c::name`)

    /// Parses one JSON object (a repodata entry or `info/index.json`). `filename` is the key
    /// the entry had in repodata (or empty); when given it must be a valid package file name
    /// whose name, version and build agree with the record's. Throws airlock::Error naming the
    /// file name (or the record's name) and what is wrong.
    static PackageRecord from_json(std::string_view json, std::string_view filename = {});

    /// The repodata entry again: a compact JSON object with sorted keys, the fields above
    /// except fn, url and channel (empty or zero optional fields left out).
    std::string to_json() const;

    /// The package's format, from `fn` (`.conda` when fn is empty).
    PackageFormat format() const;

    /// `name version build` for messages (`pytorch 2.3.1 py3.12_cuda12.1_cudnn8_0`).
    std::string display() const;
};

}  // namespace airlock::conda

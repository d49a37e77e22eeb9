#pragma once
/// What conda, mamba and micromamba read to know an environment: one
/// `conda-meta/<name>-<version>-<build>.json` per package — the package's `info/index.json`
/// plus `fn`, `url`, `channel`, `md5`/`sha256`/`size` of the package file, `files`,
/// `paths_data` {paths_version 1, paths [{_path, path_type, sha256, sha256_in_prefix,
/// size_in_bytes, …}]}, `link` {source, type} and `requested_spec` (conda's PrefixRecord, rattler's
/// prefix_record.rs) — and `conda-meta/history`, whose presence marks a directory as an
/// environment.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace airlock::install::conda {

/// One installed path, as `paths_data` records it.
struct InstalledPath {
    std::string path;
    /// `hardlink`, `softlink`, `directory`, `pyc_file`, `unix_python_entry_point`.
    std::string path_type;
    std::string sha256;            ///< of the file in the package (empty: not recorded)
    std::string sha256_in_prefix;  ///< of the file as installed, when it differs (placeholder)
    std::optional<std::uint64_t> size;
    std::string prefix_placeholder;
    std::string file_mode;  ///< `text`/`binary` when there is a placeholder
    bool no_link = false;
};

struct PrefixRecordInput {
    std::string index_json;  ///< the package's info/index.json (an object)
    std::string fn;          ///< the package file's name
    std::string url;         ///< where it came from (may be empty)
    std::string channel;     ///< channel name or URL (may be empty)
    std::string sha256;      ///< of the package file (may be empty)
    std::string md5;         ///< of the package file (may be empty)
    std::optional<std::uint64_t> size;
    std::string requested_spec;  ///< the spec the user asked for, or empty
    std::string link_source;     ///< the package file the files were copied from
    std::vector<InstalledPath> paths;
};

/// The record's JSON text (sorted keys, two-space indent, trailing newline).
std::string prefix_record_json(const PrefixRecordInput& input);

/// `channel/subdir::name-version-build`, the form conda-meta/history lists packages in.
/// `channel` may be a name or a URL (its last path component names it then).
std::string dist_string(const std::string& channel, const std::string& subdir,
                        const std::string& stem);

/// One history entry: `==> time <==`, `# cmd: command`, a `-dist` line per removed package and a
/// `+dist` line per installed one (each sorted) and `# update specs: ['spec', …]` when specs were
/// requested.
std::string history_entry(const std::string& utc_time, const std::string& command,
                          std::vector<std::string> dists, const std::vector<std::string>& specs,
                          std::vector<std::string> removed = {});

}  // namespace airlock::install::conda

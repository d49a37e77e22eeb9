#pragma once
/// The packages an existing conda environment holds, read from its `conda-meta/*.json` for
/// `install --prefix DIR --update`. Every string in them is untrusted (the environment may have
/// been written by anything): names must be plain, each `files` path relative, inside the
/// prefix, without `..` and outside conda-meta/, before it is used as a path.

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::install::conda {

struct InstalledRecord {
    std::string record_file;  ///< `<name>-<version>-<build>.json`, inside conda-meta/
    std::string name;
    std::string version;
    std::string build;
    std::string sha256;  ///< of the package file (empty when the record has none)
    std::string channel;
    std::string subdir;
    bool noarch_python = false;
    std::vector<std::string> files;  ///< checked relative paths

    std::string stem() const { return name + "-" + version + "-" + build; }
};

/// The records of `prefix/conda-meta/`. Throws Error naming the record that is not valid.
std::vector<InstalledRecord> read_installed_records(const std::filesystem::path& prefix);

}  // namespace airlock::install::conda

#pragma once
/// The lock: what `airlock-build lock` decided for one target, and what `fetch`/`build` consume.
/// Written to and read from PEP 751 `pylock.<target>.toml` (builder/lock/pylock.hpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace airlock::lock {

struct LockedFile {
    std::string name;  ///< file name, e.g. torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl
    std::string url;   ///< absolute URL on the index it was resolved from
    std::vector<std::string> mirrors;  ///< the same file under each mirror root, in order
    std::optional<std::uint64_t> size;
    std::string sha256;  ///< lowercase hex; empty only when the index gave none
};

struct LockedPackage {
    std::string name;     ///< PEP 503-normalised
    std::string version;  ///< PEP 440-normalised
    std::string index;    ///< the [[index]] URL it came from
    std::string index_name;
    std::vector<LockedFile> wheels;  ///< the wheel chosen for the target (one, by design)
};

/// One conda package chosen for a target (a record of the channel's repodata).
struct CondaLockedPackage {
    std::string name;  ///< lower case
    std::string version;
    std::string build;
    std::uint64_t build_number = 0;
    std::string channel;  ///< as the manifest names it: `pytorch`, or the channel URL
    std::string subdir;   ///< `linux-64`, `noarch`
    std::string file;     ///< `pytorch-2.3.1-py3.12_cuda12.1_cudnn8_0.tar.bz2`
    std::string url;      ///< credential-free download URL
    std::uint64_t size = 0;
    std::string sha256;  ///< lower-case hex
    std::string md5;     ///< lower-case hex
    std::string noarch;  ///< "", "generic" or "python"
    std::vector<std::string> depends;
    std::vector<std::string> constrains;
};

/// The conda environment of a target (when the manifest has [conda]).
struct CondaLock {
    std::string subdir;                         ///< the target's subdir (`linux-64`)
    std::vector<std::string> virtual_packages;  ///< `__cuda=12.4=0`, as the solve assumed
    std::vector<std::pair<std::string, std::string>> channels;  ///< (name, URL), priority order
    std::vector<CondaLockedPackage> packages;                   ///< sorted by name
};

struct TargetLock {
    std::string target;                   ///< the [[target]] name
    std::string requires_python;          ///< e.g. "==3.12.*"
    std::vector<LockedPackage> packages;  ///< sorted by name
    /// PEP 508 markers describing the target (PEP 751 `environments`), e.g.
    /// `sys_platform == "linux" and platform_machine == "x86_64" and python_version == "3.12"`.
    std::vector<std::string> environments;
    /// What the lock was resolved from, as `sha256:<hex>` digests by part (`python`, `indexes`,
    /// `target`), written as `[tool.airlock] inputs`; empty for locks written by other tools.
    std::map<std::string, std::string> inputs;
    std::optional<CondaLock> conda;  ///< the conda part; its Python is the one pip targets
};

}  // namespace airlock::lock

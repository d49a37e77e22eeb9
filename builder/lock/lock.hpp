#pragma once
/// The lock: what `airlock-build lock` decided for one target, and what `fetch`/`build` consume.
/// Written to and read from PEP 751 `pylock.<target>.toml` (builder/lock/pylock.hpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
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
};

}  // namespace airlock::lock

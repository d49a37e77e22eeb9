#pragma once
/// `lock --json`: the plan per target (the target's platform, Python and CUDA; its pip part and
/// its conda part, every package with its version and the file(s) chosen, size, sha256 and
/// credential-free URL) and the lock files written, as one JSON object on stdout for scripts.
/// The shape is versioned (`"format": 1`) and documented in the README; fields are only added.

#include "builder/lock/lock.hpp"
#include "builder/manifest/manifest.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace airlock::builder {

/// `written`: per target name, the lock files written for it. A target's `pip` part is null
/// when the manifest has no [python] (nothing pip installs), its `conda` part when no [conda].
nlohmann::json lock_json(const manifest::Manifest& manifest,
                         const std::vector<lock::TargetLock>& locks,
                         const std::filesystem::path& dir,
                         const std::map<std::string, std::vector<std::string>>& written);

}  // namespace airlock::builder

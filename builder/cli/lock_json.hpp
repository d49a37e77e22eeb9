#pragma once
/// `lock --json`: the plan per target (packages, the file chosen for each, where it comes from)
/// and the files written, as one JSON object on stdout for scripts.

#include "builder/lock/lock.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace airlock::builder {

/// `written`: per target name, the lock files written for it.
nlohmann::json lock_json(const std::vector<lock::TargetLock>& locks,
                         const std::filesystem::path& dir,
                         const std::map<std::string, std::vector<std::string>>& written);

}  // namespace airlock::builder

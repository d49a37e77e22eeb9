#pragma once
/// What a lock is resolved from, recorded in each pylock file as digests (`[tool.airlock]
/// inputs`): the [python] table, the [[index]] list without credentials, and the [[target]].
/// `fetch`/`build --lock DIR` compare them with the manifest and refuse a stale lock, saying
/// which part changed.

#include "builder/lock/lock.hpp"
#include "builder/manifest/manifest.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace airlock::resolve {

/// `python`, `indexes` and `target` → `sha256:<hex>` of their canonical text.
std::map<std::string, std::string> lock_inputs(const manifest::Manifest& manifest,
                                               const manifest::TargetSpec& target);

/// Throws Error (Exit::user) when `lock`, read from `file`, was resolved from other inputs than
/// `manifest` has for `target` now. A lock that records none (another tool's) passes.
void check_lock_inputs(const lock::TargetLock& lock, const std::filesystem::path& file,
                       const manifest::Manifest& manifest, const manifest::TargetSpec& target);

}  // namespace airlock::resolve

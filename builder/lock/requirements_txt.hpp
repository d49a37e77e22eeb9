#pragma once
/// pip requirements files with hashes: `name==version --hash=sha256:…`, one per locked package,
/// installable with `pip install --no-index --require-hashes --find-links WHEELS -r FILE`.

#include "builder/lock/lock.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::lock {

/// `DIR/requirements.<target>.txt`
std::filesystem::path requirements_path(const std::filesystem::path& dir, std::string_view target);

/// The file's text: a comment header, then packages sorted by name.
std::string format_requirements(const TargetLock& lock);

/// Writes `requirements_path(dir, lock.target)` atomically; returns the path.
std::filesystem::path write_requirements(const std::filesystem::path& dir, const TargetLock& lock);

}  // namespace airlock::lock

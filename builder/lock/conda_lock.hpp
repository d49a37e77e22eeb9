#pragma once
/// The conda part of a lock, per target, in two files:
/// - `conda.<target>.txt`: conda's explicit format (`@EXPLICIT`, then one `url#sha256` line per
///   package in dependency order), for `conda create --file` on a connected machine;
/// - `conda.<target>.lock.toml`: every record airlock chose (name, version, build, channel,
///   subdir, file, url, size, sha256, md5, depends, constrains), read back by `fetch`/`build`.
/// Fixed key order, sorted packages, no timestamps: the same lock gives the same bytes.

#include "builder/lock/lock.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::lock {

std::filesystem::path conda_explicit_path(const std::filesystem::path& dir,
                                          std::string_view target);
std::filesystem::path conda_lock_path(const std::filesystem::path& dir, std::string_view target);

/// The `@EXPLICIT` text: packages in install order (dependencies before dependents, ties by
/// name), so conda, which installs in file order, links each after what it needs.
std::string format_conda_explicit(const std::string& target, const CondaLock& lock);
std::string format_conda_lock(const std::string& target, const CondaLock& lock);

/// Parses a conda.<target>.lock.toml text; `source` names it in errors.
CondaLock parse_conda_lock(std::string_view text, std::string_view source);

/// Writes both files (atomically, only when changed); returns the lock file's path.
std::filesystem::path write_conda_lock(const std::filesystem::path& dir, const std::string& target,
                                       const CondaLock& lock);

}  // namespace airlock::lock

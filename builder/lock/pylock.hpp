#pragma once
/// PEP 751 lock files (https://packaging.python.org/specifications/pylock-toml/): one
/// `pylock.<target>.toml` per target, written in a fixed key order with sorted packages and no
/// timestamps (same lock ⇒ same bytes), and read back for `fetch`/`build --lock DIR`.

#include "builder/lock/lock.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::lock {

/// `DIR/pylock.<target>.toml`
std::filesystem::path pylock_path(const std::filesystem::path& dir, std::string_view target);

/// The file's text. Packages are sorted by name, then version.
std::string format_pylock(const TargetLock& lock);

/// Parses a pylock text (ours or another tool's wheel-only lock). `source` names it in errors;
/// `target` is the name recorded for the lock (pylock files carry no target name).
/// Throws Error (Exit::user) naming the file, the package and the key that is wrong.
TargetLock parse_pylock(std::string_view text, std::string_view source, std::string target);

/// Reads `path`; the target name is taken from `pylock.<target>.toml`.
TargetLock read_pylock(const std::filesystem::path& path);

/// Writes `pylock_path(dir, lock.target)` atomically; returns the path.
std::filesystem::path write_pylock(const std::filesystem::path& dir, const TargetLock& lock);

}  // namespace airlock::lock

#pragma once
/// `--pylock pylock.toml` (PEP 751, https://packaging.python.org/specifications/pylock-toml/):
/// a lock another tool wrote (uv, pip, pdm), taken as it is — no resolution. For each target:
/// the file's `environments` and `requires-python` must admit it, each package's `marker` is
/// evaluated for it (never the host), and of a package's wheels the one the target's tags rank
/// best is chosen. Every chosen file needs a URL and a sha256.

#include "builder/lock/lock.hpp"
#include "core/target/target.hpp"

#include <filesystem>
#include <string_view>

namespace airlock::resolve {

/// The packages of the lock text that `target` installs. `source` names the file in messages.
/// Throws Error (Exit::user) naming the package and what is missing or does not fit.
lock::TargetLock select_from_pylock(std::string_view text, std::string_view source,
                                    const target::Target& target);

/// Reads `path` and selects for `target`.
lock::TargetLock select_from_pylock_file(const std::filesystem::path& path,
                                         const target::Target& target);

}  // namespace airlock::resolve

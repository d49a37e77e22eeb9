#pragma once
/// Where a `pythonX.Y` interpreter is on this host: `$PATH`, then pyenv's installed versions
/// (`$PYENV_ROOT/versions/X.Y.*`, newest patch first) — without running pyenv.

#include <filesystem>
#include <string>
#include <vector>

namespace airlock::install {

/// Candidates for Python `version` ("3.12"), best first; not yet probed.
std::vector<std::filesystem::path> find_pythons(const std::string& version);

}  // namespace airlock::install

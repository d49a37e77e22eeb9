#pragma once
/// Where a `noarch: python` package's files go in a conda prefix (conda's
/// get_python_noarch_target_path): `site-packages/…` into the environment's Python
/// (`lib/pythonX.Y/site-packages` on Unix, `Lib/site-packages` on Windows), `python-scripts/…`
/// into `bin/` (`Scripts/` on Windows); and the console scripts written for its entry points.

#include "core/conda/link_json.hpp"

#include <string>
#include <string_view>

namespace airlock::install::conda {

enum class Platform { unix_like, windows };

struct PythonLayout {
    std::string version;        ///< `3.12`
    std::string site_packages;  ///< `lib/python3.12/site-packages` or `Lib/site-packages`
    std::string bin_dir;        ///< `bin` or `Scripts`
    std::string executable;     ///< `bin/python3.12` or `python.exe`, relative to the prefix

    /// The layout of a `python` package of `version` (`3.12.7` or `3.12`). Throws Error when the
    /// version does not start with `major.minor`.
    static PythonLayout of(std::string_view version, Platform platform);

    /// Where the noarch-python package path `path` lands (other paths are kept).
    std::string noarch_target(std::string_view path) const;

    /// The cache file CPython writes for the module at `source` (`a/b.py` →
    /// `a/__pycache__/b.cpython-312.pyc`).
    std::string pyc_path(std::string_view source) const;
};

/// The text of the Unix console script for `entry` run by `python` (an absolute path), as conda
/// writes it.
std::string entry_point_script(const airlock::conda::EntryPoint& entry, std::string_view python);

}  // namespace airlock::install::conda

#pragma once
/// A Python interpreter on the host, probed by running it: version, implementation, machine and
/// its ordered list of supported wheel tags (PEP 425 / packaging.tags.sys_tags()).

#include "installer/host/host.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::host {

enum class TagSource { packaging, pip_vendored, computed };

struct Interpreter {
    std::filesystem::path executable;  ///< as given on the command line (or found)
    std::string implementation;        ///< sys.implementation.name: "cpython", "pypy"
    int major = 0;
    int minor = 0;
    int micro = 0;
    std::string system;                ///< platform.system(): "Linux"
    std::string machine;               ///< platform.machine(): "x86_64"
    std::optional<std::string> glibc;  ///< "2.36", from os.confstr
    bool in_venv = false;              ///< sys.prefix != sys.base_prefix
    bool has_pip = false;              ///< `pip` importable
    bool has_venv = false;             ///< `venv` and `ensurepip` importable
    std::vector<std::string> tags;  ///< most preferred first: "cp312-cp312-manylinux_2_36_x86_64"
    TagSource tag_source = TagSource::computed;

    /// "3.12"
    std::string python_version() const;
    /// "CPython 3.12.1"
    std::string name_and_version() const;
    /// "CPython 3.12.1 on Linux x86_64 glibc 2.36"
    std::string describe() const;
    /// The platform parts of `tags`, most preferred first, without duplicates.
    std::vector<std::string> platform_tags() const;
};

/// Runs `python` (isolated from PYTHON* and PIP_* variables) with a small probe script.
/// Throws Error naming the interpreter when it cannot be run or its answer is unreadable.
Interpreter probe_interpreter(const std::filesystem::path& python);

/// Parses the probe script's JSON answer; fills `tags` from core rules when the interpreter could
/// not import packaging. Exposed for tests.
Interpreter parse_probe(std::string_view json, const std::filesystem::path& python);

/// The ordered tag list of a CPython X.Y on `system`/`machine` with `glibc` (PEP 425, PEP 600 for
/// manylinux_2_N, PEP 599/571/513 legacy aliases). Used when packaging is not importable.
std::vector<std::string> computed_tags(int major, int minor, std::string_view system,
                                       std::string_view machine,
                                       const std::optional<std::string>& glibc);

/// The Python source of the probe (prints one JSON object).
std::string_view probe_script();

}  // namespace airlock::host

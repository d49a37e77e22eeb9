#pragma once
/// PEP 508 marker environment: the values markers are evaluated against. Built from a Target
/// (core/target) on the connected side, probed from an interpreter only by the installer.

#include <optional>
#include <string>
#include <string_view>

namespace airlock::pep508 {

struct Environment {
    std::string implementation_name;             // "cpython"
    std::string implementation_version;          // "3.12.0"
    std::string os_name;                         // "posix" | "nt"
    std::string platform_machine;                // "x86_64" | "AMD64" | "arm64" | "aarch64"
    std::string platform_python_implementation;  // "CPython"
    std::string platform_release;                // "" when unknown for a target
    std::string platform_system;                 // "Linux" | "Windows" | "Darwin"
    std::string platform_version;                // "" when unknown for a target
    std::string python_full_version;             // "3.12.0"
    std::string python_version;                  // "3.12"
    std::string sys_platform;                    // "linux" | "win32" | "darwin"

    /// The value of a marker variable by its PEP 508 name (also accepts the legacy dotted
    /// names such as `os.name`); nullopt for an unknown variable.
    std::optional<std::string> get(std::string_view variable) const {
        if (variable == "implementation_name")
            return implementation_name;
        if (variable == "implementation_version")
            return implementation_version;
        if (variable == "os_name" || variable == "os.name")
            return os_name;
        if (variable == "platform_machine" || variable == "platform.machine")
            return platform_machine;
        if (variable == "platform_python_implementation" ||
            variable == "platform.python_implementation" || variable == "python_implementation")
            return platform_python_implementation;
        if (variable == "platform_release" || variable == "platform.release")
            return platform_release;
        if (variable == "platform_system")
            return platform_system;
        if (variable == "platform_version" || variable == "platform.version")
            return platform_version;
        if (variable == "python_full_version")
            return python_full_version;
        if (variable == "python_version")
            return python_version;
        if (variable == "sys_platform" || variable == "sys.platform")
            return sys_platform;
        return std::nullopt;
    }
};

}  // namespace airlock::pep508

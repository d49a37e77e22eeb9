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
        struct Name {
            std::string_view name;
            std::string Environment::*field;
        };
        static constexpr Name names[] = {
            {"implementation_name", &Environment::implementation_name},
            {"implementation_version", &Environment::implementation_version},
            {"os_name", &Environment::os_name},
            {"os.name", &Environment::os_name},
            {"platform_machine", &Environment::platform_machine},
            {"platform.machine", &Environment::platform_machine},
            {"platform_python_implementation", &Environment::platform_python_implementation},
            {"platform.python_implementation", &Environment::platform_python_implementation},
            {"python_implementation", &Environment::platform_python_implementation},
            {"platform_release", &Environment::platform_release},
            {"platform.release", &Environment::platform_release},
            {"platform_system", &Environment::platform_system},
            {"platform_version", &Environment::platform_version},
            {"platform.version", &Environment::platform_version},
            {"python_full_version", &Environment::python_full_version},
            {"python_version", &Environment::python_version},
            {"sys_platform", &Environment::sys_platform},
            {"sys.platform", &Environment::sys_platform},
        };
        for (const auto& n : names) {
            if (n.name == variable)
                return this->*n.field;
        }
        return std::nullopt;
    }
};

}  // namespace airlock::pep508

#pragma once
/// A conda virtual package (`__glibc`, `__cuda`, ...): a package conda treats as installed on the
/// machine it runs on. For airlock a Target supplies them (target.hpp), never the host.

#include <string>

namespace airlock::target {

struct VirtualPackage {
    std::string name;     ///< `__glibc`
    std::string version;  ///< `2.28`
    std::string build;    ///< `0`, or the micro-architecture for `__archspec` (`x86_64`)

    friend bool operator==(const VirtualPackage&, const VirtualPackage&) = default;
};

}  // namespace airlock::target

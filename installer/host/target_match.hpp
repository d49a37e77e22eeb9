#pragma once
/// Which of a bundle's targets fits a probed interpreter (PEP 425 tag compatibility: the target's
/// Python version and platform tag must be among the interpreter's supported tags).

#include "installer/host/interpreter.hpp"

#include <optional>
#include <string>
#include <vector>

namespace airlock::host {

/// A bundle's target as the installer needs it (from the bundle manifest's [[target]]).
struct TargetOffer {
    std::string name;      ///< "linux-py312-cu124"
    std::string python;    ///< "3.12"
    std::string platform;  ///< "manylinux_2_28_x86_64", "win_amd64"
    std::string cuda;      ///< "12.4", empty without CUDA

    /// "linux-py312 (CPython 3.12, manylinux_2_28_x86_64, CUDA 12.4)"
    std::string describe() const;
};

struct TargetFit {
    const TargetOffer* offer = nullptr;
    std::vector<std::string> problems;  ///< empty when the target fits
    /// Position of the target's platform in the interpreter's preference order (lower = better).
    std::size_t rank = 0;
    bool fits() const { return problems.empty(); }
};

/// How `offer` fits `interpreter`, with each reason it does not in plain words.
TargetFit fit(const TargetOffer& offer, const Interpreter& interpreter);

enum class HasGpu { yes, no };

/// Picks the target to install. With `wanted`, that target (an Error when it is unknown or does not
/// fit, saying why); otherwise the best fitting one: a CUDA target when the host has a GPU (a CPU
/// target when not), then the most preferred platform tag, then bundle order. Throws an Error that
/// lists what the bundle offers and what this host is when nothing fits.
const TargetOffer& choose_target(const std::vector<TargetOffer>& offers,
                                 const Interpreter& interpreter,
                                 const std::optional<std::string>& wanted, HasGpu gpu);

/// "linux-py312 (CPython 3.12, manylinux_2_28_x86_64) and win-py312 (…)"
std::string describe_offers(const std::vector<TargetOffer>& offers);

}  // namespace airlock::host

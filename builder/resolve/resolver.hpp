#pragma once
/// The dependency resolver: PubGrub (Natalie Weizenbaum, 2018) — unit propagation over
/// incompatibilities, conflict-driven learning, and a derivation tree that explains failure.
/// Version sets are bitsets over each package's candidates, so any provider (PEP 440, conda)
/// plugs in through provider.hpp without the engine knowing its version syntax.

#include "builder/resolve/provider.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace airlock::resolve {

struct Selection {
    PackageId package;
    std::size_t index = 0;  ///< into provider.candidates(package)
    std::string version;
};

struct SolveStats {
    std::size_t decisions = 0;
    std::size_t conflicts = 0;
    std::size_t packages = 0;
};

/// Picks one candidate for every package reachable from `requirements`, preferring each
/// provider's first selectable candidate. Deterministic: the result depends only on what the
/// provider answers. Returns the selections sorted by package id.
/// Throws Error (Exit::user) whose message explains the chain of requirements that conflict.
std::vector<Selection> solve(Provider& provider, const std::vector<Dependency>& requirements,
                             SolveStats* stats = nullptr);

}  // namespace airlock::resolve

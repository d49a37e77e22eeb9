#pragma once
/// The `resolve` phase as the user watches it: per target, the packages looked at (one index
/// page each) and the wheel metadata read, and the package being looked at now; at the end one
/// line with the targets and the packages locked (core/base/phase_progress.hpp draws it).

#include "core/base/phase_progress.hpp"

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::resolve {

class ResolveProgress {
  public:
    ResolveProgress(std::vector<std::string> targets, ProgressMode mode);

    /// What target `i` does now: "reading the conda channels", "numpy" (untrusted: escaped
    /// when drawn). Any thread.
    void working_on(std::size_t i, std::string_view what);
    /// Target `i` read the page of `package` / the metadata of one of its wheels.
    void page(std::size_t i, std::string_view package);
    void metadata(std::size_t i, std::string_view package);
    /// Target `i` is resolved with `packages` packages.
    void done(std::size_t i, std::size_t packages);
    /// `resolve: 2 targets, 31 packages locked in 0.8 s`.
    void finish();

  private:
    struct Target {
        std::string name;
        std::string current;
        std::size_t pages = 0;
        std::size_t metadata = 0;
        bool done = false;
        std::size_t packages = 0;
    };
    std::string status();
    void count(std::size_t i, std::string_view package, std::size_t Target::*counter);
    void show();

    std::mutex mutex_;
    std::vector<Target> targets_;
    PhaseProgress phase_;
};

/// What one target's provider reports to (nothing when `all` is null).
struct TargetProgress {
    ResolveProgress* all = nullptr;
    std::size_t index = 0;

    void working_on(std::string_view what) const {
        if (all)
            all->working_on(index, what);
    }
    void page(std::string_view package) const {
        if (all)
            all->page(index, package);
    }
    void metadata(std::string_view package) const {
        if (all)
            all->metadata(index, package);
    }
};

}  // namespace airlock::resolve

#include "builder/resolve/explain_package.hpp"

#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::resolve {
namespace {

struct Constraint {
    std::string who;  ///< "the requirements" or "torch 2.5.1"
    std::string constraint;
    bool root = false;
};

std::string requirement_text(Provider& provider, const PackageId& package,
                             const std::string& constraint) {
    return provider.display(package) + (constraint.empty() ? "" : constraint);
}

}  // namespace

std::string explain_package(Provider& provider, const std::vector<Dependency>& roots,
                            const std::vector<Selection>& selections, const PackageId& package,
                            bool solved) {
    const std::string name = provider.display(package);
    auto candidates = provider.candidates(package);
    if (candidates.empty())
        return name + ": " + provider.describe_missing(package) + "\n";

    // What the resolution asks of the package: the roots, and each chosen package's dependencies.
    std::vector<Constraint> constraints;
    for (const auto& d : roots)
        if (d.package == package)
            constraints.push_back({"the requirements include", d.constraint, true});
    const Selection* chosen = nullptr;
    for (const auto& s : selections) {
        if (s.package == package)
            chosen = &s;
        std::vector<Dependency> deps;
        try {
            deps = provider.dependencies(s.package, s.index);
        } catch (const Error&) {
            continue;  // it was read during the resolution; nothing new to say
        }
        for (const auto& d : deps)
            if (d.package == package && s.package.rfind(package + "[", 0) != 0)
                constraints.push_back(
                    {provider.display(s.package) + " " + s.version + " depends on", d.constraint,
                     false});
    }
    std::vector<std::vector<bool>> allowed;
    for (const auto& c : constraints)
        allowed.push_back(provider.matches(package, c.constraint));

    std::string out;
    if (chosen)
        out = name + " " + chosen->version + " was chosen; every version:\n";
    else if (solved)
        out = name + " is not needed (nothing in the resolution requires it); every version:\n";
    else
        out = name + ": the resolution failed (see the error); every version, as far as known:\n";

    std::size_t width = 0;
    for (const auto& c : candidates)
        width = std::max(width, c.version.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& c = candidates[i];
        std::string why;
        bool pinned = false;
        for (std::size_t k = 0; k < constraints.size(); ++k)
            pinned = pinned || (constraints[k].root &&
                                provider.pins_exactly(constraints[k].constraint) && allowed[k][i]);
        const Constraint* excluded_by = nullptr;
        for (std::size_t k = 0; k < constraints.size() && !excluded_by; ++k)
            if (!allowed[k][i])
                excluded_by = &constraints[k];
        if (chosen && chosen->index == i) {
            why = "chosen";
        } else if (c.availability == Availability::unavailable) {
            why = "unavailable: " + name + " " + c.version + " " + c.reason;
        } else if (c.availability == Availability::yanked && !pinned) {
            why = "yanked" + (c.reason.empty() ? "" : " (" + c.reason + ")") +
                  "; only an exact pin in the manifest's own requirements (`==" + c.version +
                  "`) selects it";
        } else if (excluded_by) {
            why = "excluded: " + excluded_by->who + " " +
                  requirement_text(provider, package, excluded_by->constraint);
        } else if (!chosen) {
            why = solved ? "usable" : "allowed by every requirement seen";
        } else if (i > chosen->index) {
            why = "older than the chosen " + chosen->version + " (the newest usable version wins)";
        } else {
            // Newer than the chosen one and allowed: its own dependencies clash with the rest.
            try {
                for (const auto& d : provider.dependencies(package, i)) {
                    auto it =
                        std::find_if(selections.begin(), selections.end(),
                                     [&](const Selection& s) { return s.package == d.package; });
                    if (it == selections.end() || d.package == package)
                        continue;
                    auto fits = provider.matches(d.package, d.constraint);
                    if (it->index < fits.size() && !fits[it->index]) {
                        why = "conflict: it depends on " +
                              requirement_text(provider, d.package, d.constraint) +
                              ", but the resolution has " + provider.display(d.package) + " " +
                              it->version;
                        break;
                    }
                }
            } catch (const Error& e) {
                why = std::string("its metadata could not be read: ") + e.what();
            }
            if (why.empty())
                why = "conflict: choosing it leaves no consistent set of the other packages";
        }
        out += "  " + c.version + std::string(width - c.version.size() + 2, ' ') + why + "\n";
    }
    return out;
}

}  // namespace airlock::resolve

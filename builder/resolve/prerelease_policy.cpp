#include "builder/resolve/prerelease_policy.hpp"

#include "core/base/error.hpp"

namespace airlock::resolve {

using manifest::PrereleaseMode;

PrereleasePolicy::PrereleasePolicy(PrereleaseMode mode, std::set<std::string> explicit_packages)
    : mode_(mode), explicit_(std::move(explicit_packages)) {}

PrereleasePolicy PrereleasePolicy::make(PrereleaseMode mode,
                                        const std::vector<pep508::Requirement>& roots) {
    std::set<std::string> named;
    for (const auto& r : roots) {
        if (r.specifier.allows_prereleases())
            named.insert(r.normalized_name());
    }
    return PrereleasePolicy(mode, std::move(named));
}

bool PrereleasePolicy::allows(const std::string& package, bool only_prereleases) const {
    switch (mode_) {
        case PrereleaseMode::disallow:
            return false;
        case PrereleaseMode::allow:
            return true;
        case PrereleaseMode::if_necessary:
            return only_prereleases;
        case PrereleaseMode::explicit_only:
            return explicit_.count(package) > 0;
        case PrereleaseMode::if_necessary_or_explicit:
            return only_prereleases || explicit_.count(package) > 0;
    }
    return false;
}

std::string PrereleasePolicy::reason(const std::string& package) const {
    std::string setting = "[python] prereleases = \"" + std::string(to_string(mode_)) + "\"";
    std::string asked = "a [python] requirement on " + package + " names a pre-release";
    std::string only = package + " has only pre-releases";
    switch (mode_) {
        case PrereleaseMode::disallow:
            return "is a pre-release, and " + setting + " excludes every pre-release";
        case PrereleaseMode::allow:
            break;
        case PrereleaseMode::if_necessary:
            return "is a pre-release, which " + setting + " takes only when " + only;
        case PrereleaseMode::explicit_only:
            return "is a pre-release, which " + setting + " takes only when " + asked;
        case PrereleaseMode::if_necessary_or_explicit:
            return "is a pre-release, which the default pre-release policy "
                   "(\"if-necessary-or-explicit\") takes only when " +
                   asked + " or " + only;
    }
    return "is a pre-release";
}

std::string PrereleasePolicy::hint(const std::string& package, const std::string& version) const {
    std::string require =
        "require it in [python] requirements, e.g. " + quote(package + ">=" + version);
    switch (mode_) {
        case PrereleaseMode::disallow:
            return "set prereleases = \"if-necessary-or-explicit\" under [python] and " + require +
                   ", or set prereleases = \"allow\"";
        case PrereleaseMode::if_necessary:
            return "set prereleases = \"allow\" (or \"if-necessary-or-explicit\" and " + require +
                   ") under [python]";
        default:
            return "to accept a pre-release of " + quote(package) + ", " + require +
                   ", or set prereleases = \"allow\" under [python]";
    }
}

}  // namespace airlock::resolve

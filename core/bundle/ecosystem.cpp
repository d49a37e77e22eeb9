#include "core/bundle/ecosystem.hpp"

#include <algorithm>

namespace airlock::bundle {

std::string_view ecosystem_name(Ecosystem ecosystem) {
    return ecosystem == Ecosystem::conda ? "conda" : "pip";
}

std::optional<Ecosystem> parse_ecosystem(std::string_view name) {
    if (name == "conda")
        return Ecosystem::conda;
    if (name == "pip")
        return Ecosystem::pip;
    return std::nullopt;
}

std::vector<Ecosystem> sorted_ecosystems(std::vector<Ecosystem> ecosystems) {
    std::sort(ecosystems.begin(), ecosystems.end());
    ecosystems.erase(std::unique(ecosystems.begin(), ecosystems.end()), ecosystems.end());
    return ecosystems;
}

}  // namespace airlock::bundle

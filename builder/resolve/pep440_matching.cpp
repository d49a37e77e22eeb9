#include "builder/resolve/pep440_matching.hpp"

#include <algorithm>
#include <numeric>

namespace airlock::resolve {

std::vector<bool> match_pep440(const std::vector<pep440::Version>& versions,
                               const pep440::SpecifierSet& spec) {
    std::vector<bool> out(versions.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        out[i] = spec.contains(versions[i], pep440::Prereleases::by_spec);
        any = any || out[i];
    }
    if (!any)
        for (std::size_t i = 0; i < versions.size(); ++i)
            out[i] = spec.contains(versions[i], pep440::Prereleases::allow);
    return out;
}

bool pins_exactly(const pep440::SpecifierSet& spec) {
    const auto& clauses = spec.specifiers();
    return clauses.size() == 1 &&
           ((clauses[0].op() == pep440::Operator::equal && !clauses[0].is_wildcard()) ||
            clauses[0].op() == pep440::Operator::arbitrary);
}

std::vector<std::size_t> ascending_ranks(const std::vector<pep440::Version>& versions) {
    std::vector<std::size_t> order(versions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return versions[a] < versions[b]; });
    std::vector<std::size_t> rank(versions.size());
    for (std::size_t r = 0; r < order.size(); ++r)
        rank[order[r]] = r;
    return rank;
}

}  // namespace airlock::resolve

#include "builder/resolve/pep440_matching.hpp"

#include "core/base/error.hpp"

#include <algorithm>
#include <numeric>

namespace airlock::resolve {

std::vector<bool> match_pep440(const std::vector<pep440::Version>& versions,
                               const std::vector<std::string>& raw,
                               const pep440::SpecifierSet& spec) {
    std::vector<bool> out(versions.size(), false);
    for (std::size_t i = 0; i < versions.size(); ++i) {
        out[i] = i < raw.size() ? spec.contains(versions[i], raw[i], pep440::Prereleases::allow)
                                : spec.contains(versions[i], pep440::Prereleases::allow);
    }
    return out;
}

bool pins_exactly(const pep440::SpecifierSet& spec) {
    const auto& clauses = spec.specifiers();
    return clauses.size() == 1 &&
           ((clauses[0].op() == pep440::Operator::equal && !clauses[0].is_wildcard()) ||
            clauses[0].op() == pep440::Operator::arbitrary);
}

std::string requires_python_reason(const std::string& requires_python,
                                   const pep440::Version& python) {
    std::string out = "requires Python " + requires_python + " (the target has Python " +
                      python.to_string() + ")";
    auto spec = pep440::SpecifierSet::try_parse(requires_python);
    if (!spec)
        return out;
    bool upper = false;
    for (const auto& clause : spec->specifiers()) {
        using pep440::Operator;
        if (clause.contains(python, pep440::Prereleases::allow))
            continue;
        switch (clause.op()) {
            case Operator::less:
            case Operator::less_equal:
                upper = true;
                break;
            case Operator::equal:
            case Operator::compatible:
            case Operator::arbitrary:
                upper = upper || python > clause.version();
                break;
            default:
                break;
        }
    }
    if (upper)
        out += "; this upper bound is kept because pip on the target refuses the wheel too";
    return out;
}

std::string requires_python_hint(const std::string& package, const std::string& requires_python,
                                 const pep440::Version& python) {
    return "a version of " + quote(package) + " that supports Python " + python.to_string() +
           " is needed: require one (this one needs Python " + requires_python +
           "), or give the target a Python it supports";
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

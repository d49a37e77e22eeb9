// PubGrub's failure report (after pub's `SolveFailure` writer): walk the derivation tree of the
// failing incompatibility, write one sentence per derived fact, and number the facts that are
// used twice so later sentences can refer to them.

#include "builder/resolve/incompatibility.hpp"

#include "core/base/error.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace airlock::resolve {
namespace {

const PackageInfo& info(const std::vector<PackageInfo>& packages, std::size_t p) {
    return packages[p];
}

/// `name`, `name 1.2`, `name<1.13` or an enumerated range over the known candidates.
std::string show(const std::vector<PackageInfo>& packages, std::size_t p, const VersionSet& set,
                 bool label_first = false) {
    const auto& pkg = info(packages, p);
    if (p == 0)
        return pkg.name;
    VersionSet versions = set.versions();
    const std::size_t n = pkg.candidates.size();
    std::size_t count = versions.count();
    if (count == 1 && !label_first) {
        for (std::size_t i = 0; i < n; ++i)
            if (versions.test(i))
                return pkg.name + " " + pkg.candidates[i].version;
    }
    for (const auto& [labelled, text] : pkg.labels)
        if (labelled == versions)
            return text.empty() ? pkg.name : pkg.name + text;
    if (n > 1 && count == n)
        return pkg.name;
    if (count == 1) {
        for (std::size_t i = 0; i < n; ++i)
            if (versions.test(i))
                return pkg.name + " " + pkg.candidates[i].version;
    }
    if (count == 0)
        return pkg.name + " (no version)";
    // Contiguous runs in ascending version order.
    std::vector<std::size_t> ascending(n);
    std::iota(ascending.begin(), ascending.end(), 0);
    std::sort(ascending.begin(), ascending.end(), [&](std::size_t a, std::size_t b) {
        return pkg.candidates[a].order < pkg.candidates[b].order;
    });
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < n;) {
        if (!versions.test(ascending[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && versions.test(ascending[j + 1]))
            ++j;
        const auto& lo = pkg.candidates[ascending[i]].version;
        const auto& hi = pkg.candidates[ascending[j]].version;
        if (i == j)
            parts.push_back("==" + lo);
        else if (i == 0)
            parts.push_back("<=" + hi);
        else if (j == n - 1)
            parts.push_back(">=" + lo);
        else
            parts.push_back(">=" + lo + ",<=" + hi);
        i = j + 1;
    }
    std::string out = pkg.name;
    for (std::size_t k = 0; k < parts.size(); ++k)
        out += (k ? " || " : "") + parts[k];
    return out;
}

/// The positive reading of a term: the versions it names (a negative term names its complement).
std::string show_term(const std::vector<PackageInfo>& packages, const Term& term,
                      bool label_first = false) {
    // A negative term reads as a requirement (`shared<2`): its constraint text says it best.
    return show(packages, term.package, term.set.allows_absent() ? term.set.complement() : term.set,
                label_first || term.set.allows_absent());
}

std::string no_versions(const std::vector<PackageInfo>& packages, const Term& term) {
    const auto& pkg = info(packages, term.package);
    if (pkg.candidates.empty())
        return pkg.missing;
    if (!pkg.fixed.empty())
        return show_term(packages, term, true) + " is not available (" + pkg.fixed + ")";
    VersionSet versions = term.set.versions();
    std::vector<std::string> reasons;
    std::size_t shown = 0, inside = 0;
    for (std::size_t i = 0; i < pkg.candidates.size(); ++i) {
        if (!versions.test(i))
            continue;
        ++inside;
        const auto& c = pkg.candidates[i];
        if (c.availability == Availability::ok)
            continue;
        if (shown++ < 4) {
            std::string why = c.reason.empty() ? "cannot be used" : c.reason;
            if (c.availability == Availability::yanked)
                why = "was yanked" + (c.reason.empty() ? "" : ": " + c.reason) +
                      "; only an exact pin in the manifest's own requirements (`==" + c.version +
                      "`) selects it";
            reasons.push_back(pkg.name + " " + c.version + " " + why);
        }
    }
    if (inside == 0) {
        std::string newest;
        std::size_t best = 0;
        for (std::size_t i = 0; i < pkg.candidates.size(); ++i)
            if (newest.empty() || pkg.candidates[i].order > best) {
                best = pkg.candidates[i].order;
                newest = pkg.candidates[i].version;
            }
        return "no version of " + show_term(packages, term, true) + " exists (the newest is " +
               newest + ")";
    }
    std::string out = show_term(packages, term, true) + " has no usable version (";
    for (std::size_t k = 0; k < reasons.size(); ++k)
        out += (k ? "; " : "") + reasons[k];
    if (shown > reasons.size())
        out += "; and " + std::to_string(shown - reasons.size()) + " more like these";
    return out + ")";
}

/// When a dependency names no candidate at all, say so in the same sentence.
std::string empty_dependency_note(const std::vector<PackageInfo>& packages, const Term& dependee) {
    const auto& pkg = info(packages, dependee.package);
    VersionSet wanted = dependee.set.complement();
    if (!wanted.versions().empty())
        return "";
    if (pkg.candidates.empty())
        return " (" + pkg.missing + ")";
    std::string newest;
    std::size_t best = 0;
    for (const auto& c : pkg.candidates)
        if (newest.empty() || c.order > best) {
            best = c.order;
            newest = c.version;
        }
    return " (no version of " + pkg.name + " matches; the newest is " + newest + ")";
}

/// ` (target `x` has __cuda=11.8)` when the target fixes the package and `wanted` leaves out
/// what it has.
std::string fixed_note(const std::vector<PackageInfo>& packages, std::size_t p,
                       const VersionSet& wanted) {
    const auto& pkg = info(packages, p);
    if (pkg.fixed.empty())
        return "";
    for (std::size_t i = 0; i < pkg.candidates.size(); ++i)
        if (!wanted.test(i))
            return " (" + pkg.fixed + ")";
    return pkg.candidates.empty() ? " (" + pkg.fixed + ")" : "";
}

}  // namespace

std::string describe(const Incompatibility& incompatibility,
                     const std::vector<PackageInfo>& packages) {
    const auto& terms = incompatibility.terms;
    switch (incompatibility.cause) {
        case Cause::root:
            return "the requirements must be satisfied";
        case Cause::dependency: {
            const Term& depender = terms[0];
            const Term& dependee = terms[1];
            // The target puts a fixed package (conda's `__cuda`) in place: say what it has.
            if (depender.package == 0 && !info(packages, dependee.package).fixed.empty() &&
                dependee.set.complement().versions().count() ==
                    info(packages, dependee.package).candidates.size())
                return info(packages, dependee.package).fixed;
            std::string who = depender.package == 0 ? "the requirements include"
                                                    : show_term(packages, depender) + " depends on";
            std::string fixed = fixed_note(packages, dependee.package, dependee.set.complement());
            return who + " " + show_term(packages, dependee, true) +
                   (fixed.empty() ? empty_dependency_note(packages, dependee) : fixed);
        }
        case Cause::constraint: {
            const Term& constrainer = terms[0];
            const Term& constrained = terms[1];
            VersionSet allowed = constrained.set.complement().versions();
            std::string who = constrainer.package == 0
                                  ? "the requirements constrain"
                                  : show_term(packages, constrainer) + " constrains";
            return who + " " + show(packages, constrained.package, allowed, true) +
                   fixed_note(packages, constrained.package, allowed);
        }
        case Cause::no_versions:
            return no_versions(packages, terms[0]);
        case Cause::derived:
            break;
    }
    // Derived: the root is always selected, so its positive term only says "the requirements".
    bool with_root = false;
    std::vector<const Term*> positive, negative;
    for (const auto& t : terms) {
        if (t.package == 0 && !t.set.allows_absent()) {
            with_root = true;
            continue;
        }
        (t.set.allows_absent() ? negative : positive).push_back(&t);
    }
    auto list = [&](const std::vector<const Term*>& ts) {
        std::string out;
        for (std::size_t k = 0; k < ts.size(); ++k) {
            if (k)
                out += k + 1 == ts.size() ? " and " : ", ";
            out += show_term(packages, *ts[k]);
        }
        return out;
    };
    if (positive.empty() && negative.empty())
        return "the requirements cannot be satisfied";
    if (with_root) {
        if (positive.empty())
            return "the requirements need " + list(negative);
        if (negative.empty())
            return "the requirements rule out " + list(positive);
        return "the requirements rule out " + list(positive) + " unless " + list(negative);
    }
    if (negative.empty()) {
        if (positive.size() == 1)
            return show_term(packages, *positive[0]) + " cannot be used";
        return list(positive) + " are incompatible";
    }
    if (positive.empty()) {
        if (negative.size() == 1)
            return show_term(packages, *negative[0]) + " is required";
        std::string out = "one of ";
        for (std::size_t k = 0; k < negative.size(); ++k)
            out += (k ? " or " : "") + show_term(packages, *negative[k]);
        return out + " is required";
    }
    return list(positive) + (positive.size() == 1 ? " requires " : " require ") + list(negative);
}

namespace {

class Writer {
  public:
    Writer(const std::vector<Incompatibility>& all, const std::vector<PackageInfo>& packages)
        : all_(all), packages_(packages) {}

    std::string write(std::size_t root) {
        count(root);
        if (all_[root].cause != Cause::derived) {
            line(root,
                 "Because " + describe(all_[root], packages_) +
                     ", the requirements cannot be satisfied.",
                 false);
        } else {
            visit(root);
        }
        std::size_t width = 0;
        for (auto& [text, number] : lines_)
            if (number)
                width = std::max(width, std::to_string(number).size() + 2);
        std::string out = "no set of versions satisfies the requirements:";
        for (auto& [text, number] : lines_) {
            out += "\n";
            if (text.empty())
                continue;
            std::string label = number ? "(" + std::to_string(number) + ")" : "";
            out += "  " + label + std::string(width - label.size() + (width ? 1 : 0), ' ') + text;
        }
        return out;
    }

  private:
    bool derived(std::size_t id) const { return all_[id].cause == Cause::derived; }
    std::string text(std::size_t id) const {
        if (all_[id].cause == Cause::root)
            return "";  // "the requirements must hold" goes without saying
        std::string s = describe(all_[id], packages_);
        if (id == root_)
            s = "the requirements cannot be satisfied";
        return s;
    }
    std::string ref(std::size_t id) const {
        auto it = numbers_.find(id);
        return it == numbers_.end() ? text(id) : text(id) + " (" + std::to_string(it->second) + ")";
    }
    /// `A and B`, skipping empty parts; what a requirement asks for reads before why it fails.
    std::string both(std::size_t a, std::string ta, std::size_t b, std::string tb) const {
        if (all_[a].cause == Cause::no_versions && all_[b].cause == Cause::dependency)
            std::swap(ta, tb);
        if (ta.empty())
            return tb;
        if (tb.empty())
            return ta;
        return ta + " and " + tb;
    }
    /// `<Lead> because <why>, <result>.` or `<Lead> <result>.` when there is nothing to cite.
    static std::string sentence(const std::string& lead, const std::string& why,
                                const std::string& result) {
        if (why.empty())
            return lead.empty() ? capitalised(result) + "." : lead + " " + result + ".";
        return (lead.empty() ? "Because " : lead + " because ") + why + ", " + result + ".";
    }
    static std::string capitalised(std::string s) {
        if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
            s[0] = static_cast<char>(s[0] - 'a' + 'A');
        return s;
    }

    void count(std::size_t id) {
        if (root_ == none)
            root_ = id;
        if (!derived(id))
            return;
        if (uses_[id]++ > 0)
            return;
        count(all_[id].left);
        count(all_[id].right);
    }

    void line(std::size_t id, std::string message, bool numbered) {
        if (numbered) {
            std::size_t n = numbers_.size() + 1;
            numbers_[id] = n;
            lines_.emplace_back(std::move(message), n);
        } else {
            lines_.emplace_back(std::move(message), 0);
        }
    }

    bool single_line(std::size_t id) const {
        return !derived(all_[id].left) && !derived(all_[id].right);
    }

    bool collapsible(std::size_t id) const {
        if (uses_.at(id) > 1)
            return false;
        auto l = all_[id].left, r = all_[id].right;
        if (derived(l) == derived(r))
            return false;
        return !numbers_.count(derived(l) ? l : r);
    }

    void visit(std::size_t id, bool conclusion = false) {
        bool numbered = conclusion || uses_[id] > 1;
        std::string conjunction = conclusion || id == root_ ? "So," : "And";
        std::string result = text(id);
        auto conflict = all_[id].left, other = all_[id].right;
        if (derived(conflict) && derived(other)) {
            bool has_c = numbers_.count(conflict), has_o = numbers_.count(other);
            if (has_c && has_o) {
                line(id, sentence("", both(conflict, ref(conflict), other, ref(other)), result),
                     numbered);
            } else if (has_c || has_o) {
                auto with = has_c ? conflict : other, without = has_c ? other : conflict;
                visit(without);
                line(id, sentence(conjunction, ref(with), result), numbered);
            } else if (single_line(conflict) || single_line(other)) {
                auto first = single_line(other) ? conflict : other;
                auto second = single_line(other) ? other : conflict;
                visit(first);
                visit(second);
                line(id, "Thus, " + result + ".", numbered);
            } else {
                visit(conflict, true);
                lines_.emplace_back("", 0);
                visit(other);
                line(id, sentence(conjunction, ref(conflict), result), numbered);
            }
        } else if (derived(conflict) || derived(other)) {
            auto der = derived(conflict) ? conflict : other;
            auto ext = derived(conflict) ? other : conflict;
            if (numbers_.count(der)) {
                line(id, sentence("", both(ext, text(ext), der, ref(der)), result), numbered);
            } else if (collapsible(der)) {
                auto dl = all_[der].left, dr = all_[der].right;
                auto collapsed_der = derived(dl) ? dl : dr;
                auto collapsed_ext = derived(dl) ? dr : dl;
                visit(collapsed_der);
                line(id,
                     sentence(conjunction, both(collapsed_ext, text(collapsed_ext), ext, text(ext)),
                              result),
                     numbered);
            } else {
                visit(der);
                line(id, sentence(conjunction, text(ext), result), numbered);
            }
        } else {
            line(id, sentence("", both(conflict, text(conflict), other, text(other)), result),
                 numbered);
        }
    }

    const std::vector<Incompatibility>& all_;
    const std::vector<PackageInfo>& packages_;
    std::map<std::size_t, std::size_t> uses_;
    std::map<std::size_t, std::size_t> numbers_;
    std::vector<std::pair<std::string, std::size_t>> lines_;
    std::size_t root_ = none;
};

}  // namespace

std::string hint_for(const std::vector<Incompatibility>& all, std::size_t failure,
                     const std::vector<PackageInfo>& packages) {
    std::vector<std::size_t> stack{failure};
    std::vector<bool> seen(all.size(), false);
    std::string missing, unusable, yanked, fixed, advice;
    while (!stack.empty()) {
        auto id = stack.back();
        stack.pop_back();
        if (id == none || seen[id])
            continue;
        seen[id] = true;
        const auto& inc = all[id];
        if (inc.cause == Cause::derived) {
            stack.push_back(inc.left);
            stack.push_back(inc.right);
        } else if (inc.cause == Cause::dependency || inc.cause == Cause::constraint) {
            const auto& pkg = packages[inc.terms[1].package];
            if (!pkg.fixed.empty() && fixed.empty())
                fixed = pkg.name;
            else if (pkg.candidates.empty() && missing.empty() && inc.cause == Cause::dependency)
                missing = pkg.missing_hint;
        } else if (inc.cause == Cause::no_versions) {
            const auto& pkg = packages[inc.terms[0].package];
            if (!pkg.fixed.empty() && fixed.empty())
                fixed = pkg.name;
            if (pkg.candidates.empty() && missing.empty() && pkg.fixed.empty())
                missing = pkg.missing_hint;
            for (std::size_t i = 0; i < pkg.candidates.size(); ++i) {
                if (!inc.terms[0].set.test(i))
                    continue;
                auto a = pkg.candidates[i].availability;
                if (a == Availability::yanked && yanked.empty())
                    yanked = pkg.name + "==" + pkg.candidates[i].version;
                if (a == Availability::unavailable && unusable.empty())
                    unusable = pkg.name;
                if (a == Availability::unavailable && advice.empty())
                    advice = pkg.candidates[i].hint;
            }
        }
    }
    if (!fixed.empty())
        return quote(fixed) +
               " comes from the target, not from a channel: require builds made for the "
               "target, or change the target (its `cuda`, `platform` or `subdir`)";
    if (!missing.empty())
        return missing;
    if (!yanked.empty())
        return "a yanked release is used only when the manifest's requirements pin it exactly: "
               "require " +
               quote(yanked) + " if you really need it";
    if (!advice.empty())
        return advice;
    if (!unusable.empty())
        return "find or build a wheel of " + quote(unusable) +
               " for this target and add it to an index, or require versions that do not need "
               "it";
    return "loosen one of the requirements in the chain above, or pin versions that agree";
}

std::string explain(const std::vector<Incompatibility>& incompatibilities, std::size_t failure,
                    const std::vector<PackageInfo>& packages) {
    return Writer(incompatibilities, packages).write(failure);
}

}  // namespace airlock::resolve

#include "builder/resolve/resolver.hpp"

#include "builder/resolve/incompatibility.hpp"
#include "builder/resolve/version_set.hpp"
#include "core/base/error.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace airlock::resolve {
namespace {

struct Assignment {
    std::size_t package;
    VersionSet term;
    std::size_t level;
    std::size_t cause;  ///< incompatibility index; `none` for a decision
};

struct PackageState {
    PackageInfo info;
    VersionSet yank_ok;  ///< yanked candidates a root requirement pins exactly
    std::vector<std::size_t> incompatibilities;
    std::vector<std::size_t> assignments;   ///< indices into the partial solution, in order
    std::optional<VersionSet> accumulated;  ///< intersection of the assignments' terms
    std::optional<std::size_t> decision;
    bool loaded = false;
};

enum class Relation { satisfied, contradicted, inconclusive };

class Solver {
  public:
    Solver(Provider& provider, const std::vector<Dependency>& requirements)
        : provider_(provider), requirements_(requirements) {
        PackageState root;
        root.info.id = "";
        root.info.name = "the requirements";
        root.info.candidates.push_back(Candidate{});
        root.yank_ok = VersionSet(1);
        root.loaded = true;
        packages_.push_back(std::move(root));
    }

    std::vector<Selection> run(SolveStats* stats) {
        // "The root is not selected" is impossible.
        add(Incompatibility{{Term{0, VersionSet(1).complement().versions().complement()}},
                            Cause::root});
        std::size_t next = 0;
        while (true) {
            propagate(next);
            auto chosen = choose();
            if (!chosen)
                break;
            next = *chosen;
        }
        std::vector<Selection> out;
        for (std::size_t p = 1; p < packages_.size(); ++p) {
            auto& s = packages_[p];
            if (!s.decision)
                continue;
            out.push_back(
                Selection{s.info.id, *s.decision, s.info.candidates[*s.decision].version});
        }
        std::sort(out.begin(), out.end(),
                  [](const Selection& a, const Selection& b) { return a.package < b.package; });
        if (stats) {
            stats->decisions = decisions_;
            stats->conflicts = conflicts_;
            stats->packages = packages_.size() - 1;
        }
        return out;
    }

  private:
    // ---- packages ---------------------------------------------------------------------------

    std::size_t intern(const PackageId& id) {
        auto it = index_.find(id);
        if (it != index_.end())
            return it->second;
        PackageState s;
        s.info.id = id;
        packages_.push_back(std::move(s));
        index_.emplace(id, packages_.size() - 1);
        return packages_.size() - 1;
    }

    PackageState& load(std::size_t p) {
        auto& s = packages_[p];
        if (!s.loaded) {
            s.info.name = provider_.display(s.info.id);
            s.info.candidates = provider_.candidates(s.info.id);
            if (s.info.candidates.empty()) {
                s.info.missing = provider_.describe_missing(s.info.id);
                s.info.missing_hint = provider_.hint_missing(s.info.id);
            }
            s.info.fixed = provider_.describe_fixed(s.info.id);
            s.yank_ok = VersionSet(s.info.candidates.size());
            s.loaded = true;
        }
        return s;
    }

    std::size_t size_of(std::size_t p) { return load(p).info.candidates.size(); }

    /// The set of candidates matching `constraint`, remembered as a label for messages.
    VersionSet matching(std::size_t p, const std::string& constraint) {
        auto key = std::make_pair(p, constraint);
        if (auto it = match_cache_.find(key); it != match_cache_.end())
            return it->second;
        auto& s = load(p);
        VersionSet set(s.info.candidates.size());
        auto bits = provider_.matches(s.info.id, constraint);
        for (std::size_t i = 0; i < bits.size() && i < s.info.candidates.size(); ++i)
            if (bits[i])
                set.set(i);
        bool known = false;
        for (auto& [labelled, text] : s.info.labels)
            known = known || labelled == set;
        if (!known)
            s.info.labels.emplace_back(set, constraint);
        match_cache_.emplace(key, set);
        return set;
    }

    // ---- incompatibilities and the partial solution ----------------------------------------

    std::size_t add(Incompatibility incompatibility) {
        incompatibilities_.push_back(std::move(incompatibility));
        std::size_t id = incompatibilities_.size() - 1;
        for (auto& term : incompatibilities_[id].terms)
            packages_[term.package].incompatibilities.push_back(id);
        return id;
    }

    VersionSet accumulated(std::size_t p) {
        auto& s = packages_[p];
        if (s.accumulated)
            return *s.accumulated;
        return VersionSet::full(size_of(p));
    }

    Relation relation(const Term& term) {
        VersionSet a = accumulated(term.package);
        if (a.subset_of(term.set))
            return Relation::satisfied;
        if (a.disjoint(term.set))
            return Relation::contradicted;
        return Relation::inconclusive;
    }

    void assign(std::size_t p, VersionSet term, std::size_t cause) {
        auto& s = packages_[p];
        assignments_.push_back(Assignment{p, term, level_, cause});
        s.assignments.push_back(assignments_.size() - 1);
        s.accumulated = s.accumulated ? (*s.accumulated & term) : term;
    }

    void backtrack(std::size_t level) {
        std::set<std::size_t> touched;
        while (!assignments_.empty() && assignments_.back().level > level) {
            auto p = assignments_.back().package;
            auto& s = packages_[p];
            s.assignments.pop_back();
            if (assignments_.back().cause == none)
                s.decision.reset();
            touched.insert(p);
            assignments_.pop_back();
        }
        for (auto p : touched) {
            auto& s = packages_[p];
            s.accumulated.reset();
            for (auto a : s.assignments)
                s.accumulated =
                    s.accumulated ? (*s.accumulated & assignments_[a].term) : assignments_[a].term;
        }
        level_ = level;
    }

    /// The earliest assignment after which the partial solution satisfies `term`.
    std::size_t satisfier(const Term& term) {
        auto& s = packages_[term.package];
        std::optional<VersionSet> acc;
        for (auto a : s.assignments) {
            acc = acc ? (*acc & assignments_[a].term) : assignments_[a].term;
            if (acc->subset_of(term.set))
                return a;
        }
        throw Error("resolver: no satisfier for a satisfied term (a bug)", Exit::internal);
    }

    // ---- unit propagation -------------------------------------------------------------------

    /// Returns: `none` when nothing was derived, `conflict_` when every term is satisfied, or
    /// the package whose assignment was derived.
    std::size_t propagate_one(std::size_t id) {
        const Term* unsatisfied = nullptr;
        for (auto& term : incompatibilities_[id].terms) {
            switch (relation(term)) {
                case Relation::contradicted:
                    return none;
                case Relation::inconclusive:
                    if (unsatisfied)
                        return none;
                    unsatisfied = &term;
                    break;
                case Relation::satisfied:
                    break;
            }
        }
        if (!unsatisfied)
            return conflict_;
        std::size_t p = unsatisfied->package;
        assign(p, unsatisfied->set.complement(), id);
        return p;
    }

    void propagate(std::size_t start) {
        std::vector<std::size_t> changed{start};
        while (!changed.empty()) {
            std::size_t p = changed.back();
            changed.pop_back();
            // Newest first; the list may grow while we walk it.
            auto list = packages_[p].incompatibilities;
            for (auto it = list.rbegin(); it != list.rend(); ++it) {
                std::size_t result = propagate_one(*it);
                if (result == conflict_) {
                    ++conflicts_;
                    std::size_t root_cause = resolve_conflict(*it);
                    changed.clear();
                    std::size_t derived = propagate_one(root_cause);
                    if (derived == none || derived == conflict_)
                        throw Error("resolver: learned clause did not propagate (a bug)",
                                    Exit::internal);
                    changed.push_back(derived);
                    break;
                }
                if (result != none &&
                    std::find(changed.begin(), changed.end(), result) == changed.end())
                    changed.push_back(result);
            }
        }
    }

    bool is_failure(const Incompatibility& incompatibility) const {
        auto& terms = incompatibility.terms;
        bool trivial =
            std::all_of(terms.begin(), terms.end(), [](const Term& t) { return t.set.is_full(); });
        return trivial ||
               (terms.size() == 1 && terms[0].package == 0 && !terms[0].set.allows_absent());
    }

    std::size_t resolve_conflict(std::size_t id) {
        bool learned = false;
        while (!is_failure(incompatibilities_[id])) {
            const auto terms = incompatibilities_[id].terms;
            std::size_t most_recent = none;
            const Term* most_recent_term = nullptr;
            std::optional<VersionSet> difference;
            std::size_t previous_level = 1;
            for (auto& term : terms) {
                if (term.set.is_full())
                    continue;  // always true (a dependency on nothing)
                std::size_t sat = satisfier(term);
                if (most_recent == none) {
                    most_recent = sat;
                    most_recent_term = &term;
                } else if (most_recent < sat) {
                    previous_level = std::max(previous_level, assignments_[most_recent].level);
                    most_recent = sat;
                    most_recent_term = &term;
                    difference.reset();
                } else {
                    previous_level = std::max(previous_level, assignments_[sat].level);
                }
                if (most_recent_term == &term) {
                    VersionSet diff = assignments_[most_recent].term & term.set.complement();
                    if (diff.empty()) {
                        difference.reset();
                    } else {
                        difference = diff;
                        Term inverse{term.package, diff.complement()};
                        previous_level =
                            std::max(previous_level, assignments_[satisfier(inverse)].level);
                    }
                }
            }
            const Assignment& sat = assignments_[most_recent];
            if (previous_level < sat.level || sat.cause == none) {
                backtrack(previous_level);
                if (learned) {
                    for (auto& term : incompatibilities_[id].terms)
                        packages_[term.package].incompatibilities.push_back(id);
                }
                return id;
            }
            // The resolution rule: combine with the satisfier's cause, dropping its package.
            std::map<std::size_t, VersionSet> merged;
            auto put = [&](std::size_t p, const VersionSet& set) {
                auto it = merged.find(p);
                if (it == merged.end())
                    merged.emplace(p, set);
                else
                    it->second &= set;
            };
            for (auto& term : terms)
                if (&term != most_recent_term)
                    put(term.package, term.set);
            for (auto& term : incompatibilities_[sat.cause].terms)
                if (term.package != sat.package)
                    put(term.package, term.set);
            if (difference)
                put(sat.package, difference->complement());
            Incompatibility prior;
            prior.cause = Cause::derived;
            prior.left = id;
            prior.right = sat.cause;
            for (auto& [p, set] : merged)
                if (!set.is_full())
                    prior.terms.push_back(Term{p, set});
            // Not registered with packages until it is final (see above).
            incompatibilities_.push_back(std::move(prior));
            id = incompatibilities_.size() - 1;
            learned = true;
        }
        throw failure(id);
    }

    Error failure(std::size_t id) {
        std::vector<PackageInfo> infos;
        for (auto& s : packages_)
            infos.push_back(s.info);
        Error error(explain(incompatibilities_, id, infos), Exit::user);
        error.with_hint(hint_for(incompatibilities_, id, infos));
        return error;
    }

    // ---- decisions --------------------------------------------------------------------------

    VersionSet selectable(std::size_t p) {
        auto& s = load(p);
        VersionSet set(s.info.candidates.size());
        for (std::size_t i = 0; i < s.info.candidates.size(); ++i) {
            auto a = s.info.candidates[i].availability;
            if (a == Availability::ok || (a == Availability::yanked && s.yank_ok.test(i)))
                set.set(i);
        }
        return set;
    }

    std::optional<std::size_t> choose() {
        // Among packages that must be selected but are not yet, the one with the fewest
        // usable versions (fails early); ties go to the one discovered first.
        std::size_t best = none;
        std::size_t best_count = 0;
        for (std::size_t p = 0; p < packages_.size(); ++p) {
            auto& s = packages_[p];
            if (s.decision || !s.accumulated || s.accumulated->allows_absent())
                continue;
            std::size_t count = (*s.accumulated & selectable(p)).count();
            if (best == none || count < best_count) {
                best = p;
                best_count = count;
            }
        }
        if (best == none)
            return std::nullopt;

        auto& s = packages_[best];
        VersionSet allowed = s.accumulated->versions();
        VersionSet usable = allowed & selectable(best);
        std::optional<std::size_t> pick;
        for (std::size_t i = 0; i < s.info.candidates.size() && !pick; ++i)
            if (usable.test(i))
                pick = i;
        if (!pick) {
            add(Incompatibility{{Term{best, allowed}}, Cause::no_versions});
            return best;
        }

        std::vector<Dependency> deps;
        if (best == 0) {
            deps = requirements_;
        } else {
            deps = within("reading the dependencies of " + s.info.name + " " +
                              s.info.candidates[*pick].version,
                          [&] { return provider_.dependencies(s.info.id, *pick); });
        }
        std::vector<PackageId> fresh;
        for (auto& d : deps)
            if (!index_.count(d.package))
                fresh.push_back(d.package);
        if (!fresh.empty())
            provider_.prefetch(fresh);

        bool conflict = false;
        for (auto& d : deps) {
            if (d.package == packages_[best].info.id)
                continue;
            std::size_t q = intern(d.package);
            VersionSet wanted = matching(q, d.constraint);
            // PEP 592: the user's own exact pin selects a yanked release; a dependency's does not.
            if (best == 0 && provider_.pins_exactly(d.constraint))
                packages_[q].yank_ok = packages_[q].yank_ok | wanted;
            Incompatibility dep;
            bool constraint = d.kind == DependencyKind::constrains;
            dep.cause = constraint ? Cause::constraint : Cause::dependency;
            dep.terms.push_back(Term{best, VersionSet::single(size_of(best), *pick)});
            // A constraint rules out the other versions only; "not selected" stays allowed.
            dep.terms.push_back(
                Term{q, constraint ? wanted.complement().versions() : wanted.complement()});
            std::size_t id = add(std::move(dep));
            conflict = conflict || relation(incompatibilities_[id].terms[1]) == Relation::satisfied;
        }
        if (!conflict) {
            ++level_;
            ++decisions_;
            packages_[best].decision = *pick;
            assign(best, VersionSet::single(size_of(best), *pick), none);
        }
        return best;
    }

    Provider& provider_;
    std::vector<Dependency> requirements_;
    std::vector<PackageState> packages_;
    std::map<PackageId, std::size_t> index_;
    std::map<std::pair<std::size_t, std::string>, VersionSet> match_cache_;
    std::vector<Incompatibility> incompatibilities_;
    std::vector<Assignment> assignments_;
    std::size_t level_ = 0;
    std::size_t decisions_ = 0;
    std::size_t conflicts_ = 0;
    static constexpr std::size_t conflict_ = none - 1;
};

}  // namespace

std::vector<Selection> solve(Provider& provider, const std::vector<Dependency>& requirements,
                             SolveStats* stats) {
    Solver solver(provider, requirements);
    return solver.run(stats);
}

}  // namespace airlock::resolve

// The engine against a toy provider: versions are integers, constraints are `>=N`, `<N`, `==N`
// joined by commas. PEP 440 scenarios live in tests/scenarios (scenario_test.cpp).

#include "builder/resolve/resolver.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace airlock::resolve {
namespace {

struct Toy : Provider {
    // package -> version -> dependencies
    std::map<std::string, std::map<int, std::vector<Dependency>>> graph;
    std::map<std::string, std::map<int, Availability>> availability;
    std::vector<std::string> prefetched;
    std::map<std::string, std::string> fixed;  // package -> what the target has

    std::vector<Candidate> candidates(const PackageId& p) override {
        std::vector<Candidate> out;
        auto it = graph.find(p);
        if (it == graph.end())
            return out;
        for (auto v = it->second.rbegin(); v != it->second.rend(); ++v) {
            Candidate c;
            c.version = std::to_string(v->first);
            c.order = static_cast<std::size_t>(v->first);
            c.availability =
                availability[p].count(v->first) ? availability[p][v->first] : Availability::ok;
            if (c.availability == Availability::unavailable)
                c.reason = "has no wheel";
            out.push_back(c);
        }
        return out;
    }
    static bool accepts(const std::string& constraint, int v) {
        std::stringstream in(constraint);
        std::string part;
        while (std::getline(in, part, ',')) {
            if (part.rfind(">=", 0) == 0 && !(v >= std::stoi(part.substr(2))))
                return false;
            if (part.rfind("==", 0) == 0 && !(v == std::stoi(part.substr(2))))
                return false;
            if (part.rfind("<", 0) == 0 && !(v < std::stoi(part.substr(1))))
                return false;
        }
        return true;
    }
    std::vector<bool> matches(const PackageId& p, const std::string& constraint) override {
        std::vector<bool> out;
        for (auto& c : candidates(p))
            out.push_back(accepts(constraint, std::stoi(c.version)));
        return out;
    }
    bool pins_exactly(const std::string& c) override { return c.rfind("==", 0) == 0; }
    std::vector<Dependency> dependencies(const PackageId& p, std::size_t index) override {
        auto c = candidates(p)[index];
        return graph[p][std::stoi(c.version)];
    }
    std::string describe_fixed(const PackageId& p) override {
        return fixed.count(p) ? fixed[p] : "";
    }
    void prefetch(const std::vector<PackageId>& ps) override {
        prefetched.insert(prefetched.end(), ps.begin(), ps.end());
    }
};

std::map<std::string, std::string> as_map(const std::vector<Selection>& s) {
    std::map<std::string, std::string> out;
    for (auto& x : s)
        out[x.package] = x.version;
    return out;
}

TEST(Resolver, PicksNewestAndFollowsDependencies) {
    Toy toy;
    toy.graph["a"][1] = {{"b", ">=1"}};
    toy.graph["a"][2] = {{"b", ">=2"}};
    toy.graph["b"][1] = {};
    toy.graph["b"][2] = {{"c", ""}};
    toy.graph["b"][3] = {};
    toy.graph["c"][1] = {};
    auto got = as_map(solve(toy, {{"a", ""}}));
    EXPECT_EQ(got, (std::map<std::string, std::string>{{"a", "2"}, {"b", "3"}}));
    EXPECT_EQ(toy.prefetched, (std::vector<std::string>{"a", "b"}));
}

TEST(Resolver, BacktracksOverAConflict) {
    // a 2 needs c<2 via b; the root needs c>=2, so a falls back to 1.
    Toy toy;
    toy.graph["a"][1] = {};
    toy.graph["a"][2] = {{"b", ""}};
    toy.graph["b"][1] = {{"c", "<2"}};
    toy.graph["c"][1] = {};
    toy.graph["c"][2] = {};
    SolveStats stats;
    auto got = as_map(solve(toy, {{"a", ""}, {"c", ">=2"}}, &stats));
    EXPECT_EQ(got, (std::map<std::string, std::string>{{"a", "1"}, {"c", "2"}}));
    EXPECT_GE(stats.conflicts, 1u);
}

TEST(Resolver, ExplainsTheChain) {
    Toy toy;
    toy.graph["torch"][251] = {{"sympy", "==1131"}};
    toy.graph["helper"][1] = {{"sympy", "<1130"}};
    toy.graph["sympy"][1120] = {};
    toy.graph["sympy"][1131] = {};
    try {
        solve(toy, {{"torch", "==251"}, {"helper", ""}});
        FAIL() << "expected a conflict";
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("torch 251 depends on sympy==1131"), std::string::npos) << m;
        EXPECT_NE(m.find("helper 1 depends on sympy<1130"), std::string::npos) << m;
        EXPECT_EQ(e.exit(), Exit::user);
    }
}

TEST(Resolver, SkipsUnavailableAndExplainsWhenNothingIsLeft) {
    Toy toy;
    toy.graph["a"][1] = {};
    toy.graph["a"][2] = {};
    toy.availability["a"][2] = Availability::unavailable;
    EXPECT_EQ(as_map(solve(toy, {{"a", ""}}))["a"], "1");
    try {
        solve(toy, {{"a", ">=2"}});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("a 2 has no wheel"), std::string::npos) << e.what();
    }
}

TEST(Resolver, YankedOnlyWhenPinned) {
    Toy toy;
    toy.graph["a"][1] = {};
    toy.graph["a"][2] = {};
    toy.availability["a"][2] = Availability::yanked;
    EXPECT_EQ(as_map(solve(toy, {{"a", ""}}))["a"], "1");
    EXPECT_EQ(as_map(solve(toy, {{"a", "==2"}}))["a"], "2");
}

TEST(Resolver, MissingPackageIsExplained) {
    Toy toy;
    toy.graph["a"][1] = {{"ghost", ">=1"}};
    try {
        solve(toy, {{"a", ""}});
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("no package named ghost exists"), std::string::npos) << m;
    }
}

TEST(Resolver, DeepBacktrackingStaysCorrect) {
    // A chain where only the oldest versions fit together: x_k N depends on x_{k+1} ==N.
    Toy toy;
    for (int k = 0; k < 6; ++k)
        for (int v = 1; v <= 5; ++v)
            toy.graph["x" + std::to_string(k)][v] = {
                {"x" + std::to_string(k + 1), "==" + std::to_string(v)}};
    for (int v = 1; v <= 5; ++v)
        toy.graph["x6"][v] = {};
    auto got = as_map(solve(toy, {{"x0", ""}, {"x6", "<2"}}));
    for (int k = 0; k <= 6; ++k)
        EXPECT_EQ(got["x" + std::to_string(k)], "1");
}

// ---- constrains: "if present, it must match" ----------------------------------------------

constexpr auto constrains = DependencyKind::constrains;

TEST(Constrains, AnAbsentPackageSatisfiesIt) {
    Toy toy;
    toy.graph["a"][1] = {{"b", "<2", constrains}};
    toy.graph["b"][1] = {};
    toy.graph["b"][2] = {};
    EXPECT_EQ(as_map(solve(toy, {{"a", ""}})), (std::map<std::string, std::string>{{"a", "1"}}));
}

TEST(Constrains, RestrictsAPackageSomethingElseRequires) {
    Toy toy;
    toy.graph["a"][1] = {{"b", "<2", constrains}};
    toy.graph["c"][1] = {{"b", ""}};
    toy.graph["b"][1] = {};
    toy.graph["b"][2] = {};
    for (auto order : {std::vector<Dependency>{{"a", ""}, {"c", ""}},
                       std::vector<Dependency>{{"c", ""}, {"a", ""}}}) {
        EXPECT_EQ(as_map(solve(toy, order)),
                  (std::map<std::string, std::string>{{"a", "1"}, {"b", "1"}, {"c", "1"}}));
    }
}

TEST(Constrains, BacktracksTheConstrainer) {
    // a 2 constrains b<2 but the root needs b>=2: a falls back to 1, which constrains nothing.
    Toy toy;
    toy.graph["a"][1] = {};
    toy.graph["a"][2] = {{"b", "<2", constrains}};
    toy.graph["b"][1] = {};
    toy.graph["b"][2] = {};
    EXPECT_EQ(as_map(solve(toy, {{"a", ""}, {"b", ">=2"}})),
              (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
    EXPECT_EQ(as_map(solve(toy, {{"b", ">=2"}, {"a", ""}})),
              (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
}

TEST(Constrains, ANonexistentPackageIsNoObstacle) {
    Toy toy;
    toy.graph["a"][1] = {{"ghost", ">=1", constrains}};
    EXPECT_EQ(as_map(solve(toy, {{"a", ""}})), (std::map<std::string, std::string>{{"a", "1"}}));
}

TEST(Constrains, AFixedPackageIsEnforcedAndNamedInTheExplanation) {
    // cuda-version 12 constrains __cuda>=12; the target has __cuda 11 (one fixed candidate).
    Toy toy;
    toy.graph["pytorch-cuda"][12] = {{"cuda-version", "==12"}};
    toy.graph["cuda-version"][12] = {{"__cuda", ">=12", constrains}};
    toy.graph["__cuda"][11] = {};
    toy.fixed["__cuda"] = "target `linux-cu118` has __cuda=11";
    try {
        solve(toy, {{"pytorch-cuda", "==12"}, {"__cuda", ""}});
        FAIL() << "expected a conflict";
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("cuda-version 12 constrains __cuda>=12 (target `linux-cu118` has "
                         "__cuda=11)"),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("pytorch-cuda 12 depends on cuda-version==12"), std::string::npos) << m;
        EXPECT_NE(e.hint().find("`__cuda` comes from the target"), std::string::npos) << e.hint();
    }
    // Without the fixed package in the solution the constraint holds trivially.
    EXPECT_EQ(as_map(solve(toy, {{"pytorch-cuda", "==12"}})).size(), 2u);
}

TEST(Constrains, AFixedPackageInADependencyIsNamed) {
    Toy toy;
    toy.graph["pytorch-cuda"][12] = {{"__cuda", ">=12"}};
    toy.graph["__cuda"][11] = {};
    toy.fixed["__cuda"] = "target `t` has __cuda=11";
    try {
        solve(toy, {{"pytorch-cuda", ""}});
        FAIL() << "expected a conflict";
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("pytorch-cuda 12 depends on __cuda>=12 (target `t` has __cuda=11)"),
                  std::string::npos)
            << m;
    }
}

}  // namespace
}  // namespace airlock::resolve

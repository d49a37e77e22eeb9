// Resolver scenarios as data (tests/scenarios/*.toml), run against an in-memory PEP 440
// provider that applies the PyPI provider's rules (pre-release policy, Requires-Python, yanked,
// markers) through the same functions. See tests/scenarios/README.md for the format.

#include "builder/resolve/explain_package.hpp"
#include "builder/resolve/pep440_matching.hpp"
#include "builder/resolve/prerelease_policy.hpp"
#include "builder/resolve/pypi_provider.hpp"
#include "builder/resolve/resolver.hpp"

#include "core/base/error.hpp"
#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "core/pep508/requirement.hpp"
#include "core/target/target.hpp"
#include "tests/support/cpp/source_dir.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

namespace airlock::resolve {
namespace {

struct Release {
    pep440::Version version;
    std::string text;  ///< as written in the file (for `===`)
    std::vector<std::string> requires_;
    std::map<std::string, std::vector<std::string>> extras;
    std::string requires_python;
    Availability availability = Availability::ok;
    std::string reason;
    std::string hint;
};

std::string base_name(const std::string& id) {
    return id.substr(0, id.find('['));
}

class MemoryProvider : public Provider {
  public:
    std::map<std::string, std::vector<Release>> packages;  // newest first
    std::optional<target::Target> target;
    PrereleasePolicy policy;

    /// The PyPI provider's filters: Requires-Python against the target's full version, then the
    /// pre-release policy ("if-necessary" looks at every published version).
    void apply_rules() {
        auto python = pep440::Version::parse(target->python_full_version());
        for (auto& [name, list] : packages) {
            bool only_prereleases = std::all_of(list.begin(), list.end(), [](const Release& r) {
                return r.version.is_prerelease();
            });
            for (auto& r : list) {
                if (!r.requires_python.empty() &&
                    !pep440::SpecifierSet::parse(r.requires_python)
                         .contains(python, pep440::Prereleases::allow)) {
                    r.availability = Availability::unavailable;
                    r.reason = requires_python_reason(r.requires_python, python);
                    r.hint = requires_python_hint(name, r.requires_python, python);
                }
                if (r.version.is_prerelease() && !policy.allows(name, only_prereleases) &&
                    r.availability != Availability::unavailable) {
                    r.availability = Availability::unavailable;
                    r.reason = policy.reason(name);
                    r.hint = policy.hint(name, r.version.to_string());
                }
            }
        }
    }

    std::vector<Candidate> candidates(const PackageId& id) override {
        std::vector<Candidate> out;
        auto it = packages.find(base_name(id));
        if (it == packages.end())
            return out;
        std::vector<pep440::Version> versions;
        for (auto& r : it->second)
            versions.push_back(r.version);
        auto ranks = ascending_ranks(versions);
        for (std::size_t i = 0; i < it->second.size(); ++i) {
            auto& r = it->second[i];
            out.push_back(Candidate{r.text, ranks[i], r.availability, r.reason, r.hint});
        }
        return out;
    }
    std::vector<bool> matches(const PackageId& id, const std::string& constraint) override {
        std::vector<pep440::Version> versions;
        std::vector<std::string> raw;
        for (auto& r : packages[base_name(id)]) {
            versions.push_back(r.version);
            raw.push_back(r.text);
        }
        return match_pep440(versions, raw, pep440::SpecifierSet::parse(constraint));
    }
    bool pins_exactly(const std::string& constraint) override {
        return resolve::pins_exactly(pep440::SpecifierSet::parse(constraint));
    }
    std::vector<Dependency> dependencies(const PackageId& id, std::size_t index) override {
        auto name = base_name(id);
        std::string extra = id.size() > name.size() ? id.substr(name.size() + 1) : "";
        if (!extra.empty())
            extra.pop_back();
        auto& r = packages[name][index];
        std::vector<Dependency> out;
        auto add = [&](const std::string& text) {
            auto req = pep508::Requirement::parse(text);
            if (req.applies_to(target->environment()))
                for (auto& d : dependencies_of(req))
                    out.push_back(std::move(d));
        };
        if (extra.empty()) {
            for (auto& req : r.requires_)
                add(req);
        } else {
            out.push_back(Dependency{name, "==" + r.text});
            for (auto& req : r.extras[extra])
                add(req);
        }
        return out;
    }
};

std::vector<std::string> strings(const toml::node* node) {
    std::vector<std::string> out;
    if (auto* a = node ? node->as_array() : nullptr)
        for (auto& e : *a)
            out.push_back(e.value<std::string>().value_or(""));
    return out;
}

std::vector<std::filesystem::path> scenario_files() {
    std::vector<std::filesystem::path> out;
    auto dir = test_support::source_dir() / "tests" / "scenarios";
    if (std::filesystem::exists(dir))
        for (auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().extension() == ".toml")
                out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

class Scenario : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(Scenario, Resolves) {
    const auto path = GetParam();
    toml::table doc = toml::parse_file(path.string());
    MemoryProvider provider;
    if (auto* pkgs = doc["packages"].as_table()) {
        for (auto& [name, versions] : *pkgs) {
            auto& list = provider.packages[std::string(name.str())];
            for (auto& [version, spec] : *versions.as_table()) {
                Release r;
                r.text = std::string(version.str());
                r.version = pep440::Version::parse(r.text);
                const toml::node_view<const toml::node> view(spec);
                const toml::table* t = spec.as_table();
                if (spec.is_array()) {
                    r.requires_ = strings(&spec);
                } else {
                    r.requires_ = strings(t->get("requires"));
                    if (auto* extras = view["extras"].as_table())
                        for (auto& [extra, reqs] : *extras)
                            r.extras[std::string(extra.str())] = strings(&reqs);
                    if (auto rp = view["requires_python"].value<std::string>())
                        r.requires_python = *rp;
                    if (auto y = view["yanked"].value<std::string>()) {
                        r.availability = Availability::yanked;
                        r.reason = *y;
                    }
                    if (auto u = view["unavailable"].value<std::string>()) {
                        r.availability = Availability::unavailable;
                        r.reason = *u;
                    }
                }
                list.push_back(std::move(r));
            }
            std::stable_sort(list.begin(), list.end(), [](const Release& a, const Release& b) {
                return a.version > b.version;
            });
        }
    }
    provider.target = target::Target::make("scenario", doc["python"].value_or(std::string("3.12")),
                                           "manylinux_2_28_x86_64");
    auto mode = manifest::parse_prerelease_mode(
        doc["prereleases"].value_or(std::string("if-necessary-or-explicit")));
    ASSERT_TRUE(mode) << path.filename() << ": unknown prereleases mode";
    std::vector<Dependency> requirements;
    std::vector<pep508::Requirement> roots;
    for (auto& text : strings(doc.get("requirements"))) {
        auto req = pep508::Requirement::parse(text);
        if (!req.applies_to(provider.target->environment()))
            continue;
        for (auto& d : dependencies_of(req))
            requirements.push_back(std::move(d));
        roots.push_back(std::move(req));
    }
    provider.policy = PrereleasePolicy::make(*mode, roots);
    provider.apply_rules();

    auto expect = doc["expect"];
    // `explain = "pkg"` with `explanation = [...]`: fragments of `lock --explain pkg`.
    auto check_explanation = [&](const std::vector<Selection>& selections, bool solved) {
        auto package = expect["explain"].value<std::string>();
        if (!package)
            return;
        std::string text = explain_package(provider, requirements, selections, *package, solved);
        if (std::getenv("AIRLOCK_SHOW_ERRORS"))
            std::cout << path.filename() << " --explain " << *package << ":\n" << text << "\n";
        for (auto& f : strings(expect["explanation"].node()))
            EXPECT_NE(text.find(f), std::string::npos)
                << path.filename() << ": missing `" << f << "` in the explanation:\n"
                << text;
    };
    if (auto* resolution = expect["resolution"].as_table()) {
        std::map<std::string, std::string> want, got;
        for (auto& [name, version] : *resolution)
            want[std::string(name.str())] = version.value<std::string>().value_or("");
        std::vector<Selection> selections;
        try {
            selections = solve(provider, requirements);
            for (auto& s : selections)
                if (s.package.find('[') == std::string::npos)
                    got[s.package] = s.version;
        } catch (const Error& e) {
            FAIL() << path.filename() << ": unexpected error:\n" << e.what();
        }
        EXPECT_EQ(got, want) << path.filename();
        check_explanation(selections, true);
    } else {
        auto fragments = strings(expect["error"].node());
        ASSERT_FALSE(fragments.empty())
            << path.filename() << ": [expect] needs resolution or error";
        try {
            auto s = solve(provider, requirements);
            FAIL() << path.filename() << ": expected an error, got " << s.size() << " packages";
        } catch (const Error& e) {
            // What the user sees: the explanation, then the hint.
            std::string message = std::string(e.what()) + "\nhint: " + e.hint();
            if (std::getenv("AIRLOCK_SHOW_ERRORS"))
                std::cout << path.filename() << ":\n" << message << "\n\n";
            for (auto& f : fragments)
                EXPECT_NE(message.find(f), std::string::npos)
                    << path.filename() << ": missing `" << f << "` in:\n"
                    << message;
            EXPECT_EQ(e.exit(), Exit::user);
            check_explanation({}, false);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, testing::ValuesIn(scenario_files()),
                         [](const testing::TestParamInfo<std::filesystem::path>& info) {
                             std::string name = info.param.stem().string();
                             for (auto& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return name;
                         });

}  // namespace
}  // namespace airlock::resolve

// Resolver scenarios as data (tests/scenarios/*.toml), run against an in-memory PEP 440
// provider. Each file: `requirements`, `[packages.<name>]` mapping versions to dependencies
// (a list, or a table with `requires`, `extras`, `yanked`, `unavailable`), and `[expect]` with
// either `resolution = { name = "version" }` or `error = ["fragment", ...]`.

#include "builder/resolve/pep440_matching.hpp"
#include "builder/resolve/resolver.hpp"

#include "core/base/error.hpp"
#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

namespace airlock::resolve {
namespace {

struct Release {
    pep440::Version version;
    std::string text;
    std::vector<std::string> requires_;
    std::map<std::string, std::vector<std::string>> extras;
    Availability availability = Availability::ok;
    std::string reason;
};

struct Parsed {
    std::string name;
    std::string extra;
    std::string spec;
};

/// `name[extra] spec` (the scenario files use no markers).
Parsed split(const std::string& requirement) {
    Parsed p;
    std::size_t i = 0;
    while (i < requirement.size() &&
           (std::isalnum(static_cast<unsigned char>(requirement[i])) || requirement[i] == '-' ||
            requirement[i] == '_' || requirement[i] == '.'))
        ++i;
    p.name = requirement.substr(0, i);
    if (i < requirement.size() && requirement[i] == '[') {
        auto close = requirement.find(']', i);
        p.extra = requirement.substr(i + 1, close - i - 1);
        i = close + 1;
    }
    p.spec = requirement.substr(i);
    p.spec.erase(std::remove(p.spec.begin(), p.spec.end(), ' '), p.spec.end());
    return p;
}

class MemoryProvider : public Provider {
  public:
    std::map<std::string, std::vector<Release>> packages;  // newest first

    std::vector<Candidate> candidates(const PackageId& id) override {
        auto base = split(id).name;
        std::vector<Candidate> out;
        auto it = packages.find(base);
        if (it == packages.end())
            return out;
        std::vector<pep440::Version> versions;
        for (auto& r : it->second)
            versions.push_back(r.version);
        auto ranks = ascending_ranks(versions);
        for (std::size_t i = 0; i < it->second.size(); ++i) {
            auto& r = it->second[i];
            out.push_back(Candidate{r.text, ranks[i], r.availability, r.reason});
        }
        return out;
    }
    std::vector<bool> matches(const PackageId& id, const std::string& constraint) override {
        std::vector<pep440::Version> versions;
        for (auto& r : packages[split(id).name])
            versions.push_back(r.version);
        return match_pep440(versions, pep440::SpecifierSet::parse(constraint));
    }
    bool pins_exactly(const std::string& constraint) override {
        return resolve::pins_exactly(pep440::SpecifierSet::parse(constraint));
    }
    std::vector<Dependency> dependencies(const PackageId& id, std::size_t index) override {
        auto p = split(id);
        auto& r = packages[p.name][index];
        std::vector<Dependency> out;
        auto add = [&](const std::string& req) {
            auto d = split(req);
            if (!d.extra.empty())
                out.push_back(Dependency{d.name + "[" + d.extra + "]", d.spec});
            out.push_back(Dependency{d.name, d.spec});
        };
        if (p.extra.empty()) {
            for (auto& req : r.requires_)
                add(req);
        } else {
            out.push_back(Dependency{p.name, "==" + r.text});
            for (auto& req : r.extras[p.extra])
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
    auto dir = std::filesystem::path(AIRLOCK_SOURCE_DIR) / "tests" / "scenarios";
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
    std::vector<Dependency> requirements;
    for (auto& req : strings(doc.get("requirements"))) {
        auto d = split(req);
        if (!d.extra.empty())
            requirements.push_back(Dependency{d.name + "[" + d.extra + "]", d.spec});
        requirements.push_back(Dependency{d.name, d.spec});
    }

    auto expect = doc["expect"];
    if (auto* resolution = expect["resolution"].as_table()) {
        std::map<std::string, std::string> want, got;
        for (auto& [name, version] : *resolution)
            want[std::string(name.str())] = version.value<std::string>().value_or("");
        try {
            for (auto& s : solve(provider, requirements))
                if (s.package.find('[') == std::string::npos)
                    got[s.package] = s.version;
        } catch (const Error& e) {
            FAIL() << path.filename() << ": unexpected error:\n" << e.what();
        }
        EXPECT_EQ(got, want) << path.filename();
    } else {
        auto fragments = strings(expect["error"].node());
        ASSERT_FALSE(fragments.empty())
            << path.filename() << ": [expect] needs resolution or error";
        try {
            auto s = solve(provider, requirements);
            FAIL() << path.filename() << ": expected an error, got " << s.size() << " packages";
        } catch (const Error& e) {
            std::string message = e.what();
            if (std::getenv("AIRLOCK_SHOW_ERRORS"))
                std::cout << path.filename() << ":\n" << message << "\n\n";
            for (auto& f : fragments)
                EXPECT_NE(message.find(f), std::string::npos)
                    << path.filename() << ": missing `" << f << "` in:\n"
                    << message;
            EXPECT_EQ(e.exit(), Exit::user);
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

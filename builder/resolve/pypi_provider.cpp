#include "builder/resolve/pypi_provider.hpp"

#include "builder/resolve/pep440_matching.hpp"
#include "core/base/error.hpp"
#include "core/pep503/name.hpp"
#include "core/wheel/filename.hpp"
#include "core/wheel/metadata.hpp"
#include "core/wheel/sdist_filename.hpp"

#include <algorithm>
#include <tuple>

namespace airlock::resolve {
namespace {

struct Id {
    std::string name;
    std::string extra;
};

Id split_id(const std::string& id) {
    auto open = id.find('[');
    if (open == std::string::npos)
        return {id, ""};
    return {id.substr(0, open), id.substr(open + 1, id.size() - open - 2)};
}

}  // namespace

std::vector<Dependency> dependencies_of(const pep508::Requirement& requirement) {
    std::vector<Dependency> out;
    std::string name = requirement.normalized_name();
    std::string constraint = requirement.specifier.to_string();
    for (const auto& extra : requirement.extras)
        out.push_back(Dependency{name + "[" + extra + "]", constraint});
    out.push_back(Dependency{name, constraint});
    return out;
}

PypiProvider::PypiProvider(const target::Target& target, index::IndexClient& index,
                           PrereleasePolicy prereleases)
    : target_(target),
      prereleases_(std::move(prereleases)),
      environment_(target.environment()),
      python_version_(pep440::Version::parse(environment_.python_full_version)),
      index_(index) {}

const pep440::SpecifierSet& PypiProvider::specifier(const std::string& text) {
    auto it = specifiers_.find(text);
    if (it == specifiers_.end())
        it = specifiers_.emplace(text, pep440::SpecifierSet::parse(text)).first;
    return it->second;
}

PypiProvider::Project& PypiProvider::project(const std::string& name) {
    auto it = projects_.find(name);
    if (it == projects_.end()) {
        if (name != python_package)
            progress_.page(name);
        it = projects_.emplace(name, build(name)).first;
    }
    return it->second;
}

std::string PypiProvider::unavailable_reason(const std::string& name,
                                             const std::vector<const index::DistFile*>& files,
                                             bool any_sdist, std::string& hint) {
    if (files.empty() && any_sdist)
        return "has only a source distribution, and airlock installs wheels only";
    if (files.empty())
        return "has no installable file";
    std::vector<std::string> python_needs;
    std::vector<std::string> tags;
    for (const auto* f : files) {
        auto parsed = wheel::WheelFilename::try_parse(f->filename);
        bool python_ok = true;
        if (f->requires_python) {
            if (auto spec = pep440::SpecifierSet::try_parse(*f->requires_python))
                python_ok = spec->contains(python_version_, pep440::Prereleases::allow);
        }
        if (!python_ok) {
            python_needs.push_back(*f->requires_python);
        } else if (parsed && tags.size() < 3) {
            auto dash =
                f->filename.rfind('-', f->filename.rfind('-', f->filename.rfind('-') - 1) - 1);
            tags.push_back(f->filename.substr(dash + 1, f->filename.size() - dash - 5));
        }
    }
    std::string who = target_.platform + " / " + target_.implementation + [&] {
        std::string s = target_.python_minor();
        s.erase(std::remove(s.begin(), s.end(), '.'), s.end());
        return s;
    }();
    if (tags.empty() && !python_needs.empty()) {
        hint = requires_python_hint(name, python_needs.front(), python_version_);
        return requires_python_reason(python_needs.front(), python_version_);
    }
    std::string out = "has no wheel for " + who + " (only ";
    for (std::size_t i = 0; i < tags.size(); ++i)
        out += (i ? ", " : "") + tags[i];
    if (files.size() > tags.size())
        out += ", …";
    return out + ")";
}

PypiProvider::Project PypiProvider::build(const std::string& name) {
    Project project;
    if (name == python_package) {
        Choice c;
        c.version = python_version_;
        c.text = python_version_.to_string();
        project.choices.push_back(c);
    } else {
        project.page = index_.find_project(name);
        if (!project.page)
            return project;
        struct Group {
            std::vector<const index::DistFile*> wheels;
            bool sdist = false;
            std::string raw;  ///< the version as the first file spells it
        };
        std::map<pep440::Version, Group> groups;
        for (const auto& file : project.page->files) {
            if (auto w = wheel::WheelFilename::try_parse(file.filename)) {
                if (w->normalized_name != name)
                    continue;
                if (auto v = pep440::Version::try_parse(w->version)) {
                    auto& g = groups[*v];
                    g.wheels.push_back(&file);
                    if (g.raw.empty())
                        g.raw = w->version;
                }
            } else if (auto s = wheel::try_parse_sdist(file.filename)) {
                if (auto v = pep440::Version::try_parse(s->version)) {
                    auto& g = groups[*v];
                    g.sdist = true;
                    if (g.raw.empty())
                        g.raw = s->version;
                }
            }
        }
        // "if-necessary": every published version (any file) is a pre-release.
        bool only_prereleases = std::all_of(groups.begin(), groups.end(), [](const auto& group) {
            return group.first.is_prerelease();
        });
        bool prereleases_ok = prereleases_.allows(name, only_prereleases);
        const std::vector<std::string>* pins = nullptr;
        if (!hash_pins_.empty()) {
            auto it = hash_pins_.find(name);
            if (it != hash_pins_.end())
                pins = &it->second;
        }
        for (auto& [version, group] : groups) {
            if (!hash_pins_.empty() && !group.wheels.empty()) {
                // Hash-checking mode: only the files the pins name.
                std::size_t published = group.wheels.size();
                std::erase_if(group.wheels, [&](const index::DistFile* f) {
                    auto sha = f->sha256();
                    return !pins || !sha ||
                           std::find(pins->begin(), pins->end(), *sha) == pins->end();
                });
                if (group.wheels.empty()) {
                    Choice c;
                    c.version = version;
                    c.text = version.to_string();
                    c.raw = group.raw;
                    c.availability = Availability::unavailable;
                    if (!pins) {
                        c.reason = "has no --hash pin (hash-checking mode)";
                        c.hint = "add `" + name +
                                 "==VERSION --hash=sha256:...` to the "
                                 "requirements (pip-compile --generate-hashes writes them all)";
                    } else {
                        c.reason = "has none of its " + std::to_string(published) +
                                   " wheel(s) matching the --hash pins";
                        c.hint = "pin the digest of the " + name + " " + c.text +
                                 " wheel this target installs, or another version";
                    }
                    project.choices.push_back(std::move(c));
                    continue;
                }
            }
            Choice c;
            c.version = version;
            c.text = version.to_string();
            c.raw = group.raw;
            // Best wheel: the target's most preferred tag, then the highest build number.
            using Key = std::tuple<std::size_t, std::uint64_t>;
            std::optional<Key> best_key, yanked_key;
            const index::DistFile* best = nullptr;
            const index::DistFile* yanked = nullptr;
            for (const auto* f : group.wheels) {
                if (f->requires_python) {
                    auto spec = pep440::SpecifierSet::try_parse(*f->requires_python);
                    if (spec && !spec->contains(python_version_, pep440::Prereleases::allow))
                        continue;
                }
                auto parsed = wheel::WheelFilename::try_parse(f->filename);
                auto rank = target_.rank(parsed->tags);
                if (!rank)
                    continue;
                std::uint64_t build_number = parsed->build() ? parsed->build()->first : 0;
                Key key{*rank, UINT64_MAX - build_number};
                auto& slot_key = f->yanked ? yanked_key : best_key;
                auto& slot = f->yanked ? yanked : best;
                if (!slot_key || key < *slot_key) {
                    slot_key = key;
                    slot = f;
                }
            }
            if (best) {
                c.wheel = best;
            } else if (yanked) {
                c.wheel = yanked;
                c.availability = Availability::yanked;
                c.reason = yanked->yanked->empty() ? "no reason given" : *yanked->yanked;
            } else {
                c.availability = Availability::unavailable;
                c.reason = unavailable_reason(name, group.wheels, group.sdist, c.hint);
            }
            if (version.is_prerelease() && !prereleases_ok &&
                c.availability != Availability::unavailable) {
                c.availability = Availability::unavailable;
                c.reason = prereleases_.reason(name);
                c.hint = prereleases_.hint(name, c.text);
            }
            project.choices.push_back(std::move(c));
        }
        // Newest public version first; among builds of one version, the target's CUDA build,
        // then the plain one, then other local builds.
        auto cuda = target_.cuda_local_label();
        auto local_rank = [&](const pep440::Version& v) {
            if (!v.has_local())
                return 1;
            return cuda && v.local() == *cuda ? 0 : 2;
        };
        std::stable_sort(project.choices.begin(), project.choices.end(),
                         [&](const Choice& a, const Choice& b) {
                             auto pa = a.version.public_version(), pb = b.version.public_version();
                             if (pa != pb)
                                 return pa > pb;
                             if (local_rank(a.version) != local_rank(b.version))
                                 return local_rank(a.version) < local_rank(b.version);
                             return a.version > b.version;
                         });
    }
    for (const auto& c : project.choices) {
        project.versions.push_back(c.version);
        project.raw.push_back(c.raw.empty() ? c.text : c.raw);
    }
    auto ranks = ascending_ranks(project.versions);
    for (std::size_t i = 0; i < project.choices.size(); ++i) {
        const auto& c = project.choices[i];
        project.candidates.push_back(Candidate{c.text, ranks[i], c.availability, c.reason, c.hint});
    }
    return project;
}

std::vector<Candidate> PypiProvider::candidates(const PackageId& package) {
    return project(split_id(package).name).candidates;
}

std::vector<bool> PypiProvider::matches(const PackageId& package, const std::string& constraint) {
    auto& p = project(split_id(package).name);
    const auto& spec = specifier(constraint);
    if (split_id(package).name == python_package) {
        std::vector<bool> out;
        for (const auto& v : p.versions)
            out.push_back(spec.contains(v, pep440::Prereleases::allow));
        return out;
    }
    return match_pep440(p.versions, p.raw, spec);
}

bool PypiProvider::pins_exactly(const std::string& constraint) {
    return resolve::pins_exactly(specifier(constraint));
}

std::vector<Dependency> PypiProvider::dependencies(const PackageId& package, std::size_t i) {
    auto key = std::make_pair(package, i);
    if (auto it = dependencies_.find(key); it != dependencies_.end())
        return it->second;
    auto id = split_id(package);
    auto& p = project(id.name);
    std::vector<Dependency> out;
    const Choice& choice = p.choices.at(i);
    if (id.name != python_package && choice.wheel) {
        progress_.metadata(id.name);
        std::string text = index_.metadata(*choice.wheel);
        auto metadata = wheel::CoreMetadata::parse(text, choice.wheel->filename);
        if (!id.extra.empty()) {
            // An extra is the base package at the same version plus the extra's requirements.
            out.push_back(Dependency{id.name, "==" + choice.text});
        } else if (!metadata.requires_python.empty()) {
            if (pep440::SpecifierSet::try_parse(metadata.requires_python))
                out.push_back(Dependency{python_package, metadata.requires_python});
        }
        for (const auto& line : metadata.requires_dist) {
            auto requirement = within("reading `Requires-Dist: " + line + "` in the metadata of " +
                                          choice.wheel->filename,
                                      [&] { return pep508::Requirement::parse(line); });
            if (id.extra.empty()) {
                if (!requirement.applies_to(environment_))
                    continue;
            } else if (!requirement.applies_to(environment_, id.extra) ||
                       requirement.applies_to(environment_)) {
                continue;  // not this extra's, or already a dependency of the base package
            }
            if (requirement.url)
                throw Error(id.name + " " + choice.text + " depends on " +
                            quote(requirement.to_string()) +
                            ", a direct URL reference, which airlock cannot lock")
                    .with_hint("pin another version of " + id.name +
                               ", or add the package to an "
                               "index and depend on it by name");
            for (auto& d : dependencies_of(requirement))
                out.push_back(std::move(d));
        }
    }
    dependencies_.emplace(key, out);
    return out;
}

void PypiProvider::prefetch(const std::vector<PackageId>& packages) {
    // Speculative breadth-first walk: fetch the pages of every new name at once, then the
    // metadata of each one's preferred candidate at once, then the names those introduce. A cold
    // resolve then costs two round trips per level of the graph, not two per package.
    std::vector<std::string> frontier;
    for (const auto& id : packages) {
        auto name = split_id(id).name;
        if (name != python_package && prefetched_.insert(name).second)
            frontier.push_back(name);
    }
    while (!frontier.empty()) {
        progress_.working_on("reading " + std::to_string(frontier.size()) + " pages");
        index_.prefetch(frontier);
        std::vector<std::pair<std::string, std::size_t>> preferred;
        std::vector<index::DistFile> files;
        for (const auto& name : frontier) {
            try {
                auto& p = project(name);
                for (std::size_t i = 0; i < p.choices.size(); ++i) {
                    if (p.choices[i].availability == Availability::ok) {
                        preferred.emplace_back(name, i);
                        files.push_back(*p.choices[i].wheel);
                        break;
                    }
                }
            } catch (const Error&) {
                // The resolver meets this again when it needs the package, and reports it.
            }
        }
        progress_.working_on("reading " + std::to_string(files.size()) + " metadata");
        index_.prefetch_metadata(files);
        std::vector<std::string> next;
        for (const auto& [name, i] : preferred) {
            try {
                for (const auto& d : dependencies(name, i)) {
                    auto dep = split_id(d.package).name;
                    if (dep != python_package && prefetched_.insert(dep).second)
                        next.push_back(dep);
                }
            } catch (const Error&) {
            }
        }
        frontier = std::move(next);
    }
}

std::string PypiProvider::display(const PackageId& package) {
    return package == python_package ? "Python" : package;
}

std::string PypiProvider::describe_missing(const PackageId& package) {
    auto name = split_id(package).name;
    std::string asked;
    for (const auto* spec : index_.indexes_for(name))
        asked += (asked.empty() ? "" : ", ") + quote(spec->name);
    if (asked.empty())
        return "no [[index]] may serve " + quote(name) +
               " (every index lists `packages = [...]` without it)";
    return "no index has a project named " + quote(name) + "; " +
           index::IndexClient::describe(index_.why_missing(name), asked);
}

std::string PypiProvider::hint_missing(const PackageId& package) {
    auto name = split_id(package).name;
    auto hint = index::IndexClient::hint(index_.why_missing(name));
    return hint.empty() ? Provider::hint_missing(package) : hint;
}

const index::DistFile* PypiProvider::wheel(const PackageId& package, std::size_t i) {
    return project(split_id(package).name).choices.at(i).wheel;
}

const index::ProjectPage* PypiProvider::page(const PackageId& package) {
    return project(split_id(package).name).page;
}

std::string PypiProvider::version(const PackageId& package, std::size_t i) {
    return project(split_id(package).name).choices.at(i).text;
}

}  // namespace airlock::resolve

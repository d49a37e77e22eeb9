#include "builder/resolve/pylock_input.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/base/source_excerpt.hpp"
#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "core/pep503/name.hpp"
#include "core/pep508/marker.hpp"
#include "core/wheel/filename.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <regex>

namespace airlock::resolve {

lock::TargetLock select_from_pylock(std::string_view text, std::string_view source,
                                    const target::Target& target) {
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        SourceLocation where{std::string(source), e.source().begin.line, e.source().begin.column};
        throw Error(source_excerpt(where, line_of(text, where.line),
                                   "invalid TOML: " + std::string(e.description())));
    }
    auto located = [&](const toml::node* node, const std::string& message) {
        SourceLocation where{std::string(source), node ? node->source().begin.line : 1,
                             node ? node->source().begin.column : 1};
        return Error(source_excerpt(where, line_of(text, where.line), message));
    };
    auto version = doc["lock-version"].value<std::string>();
    if (!version)
        throw located(&doc, "this is not a PEP 751 lock: it has no `lock-version`");
    if (!version->starts_with("1."))
        throw located(doc.get("lock-version"),
                      "lock-version " + quote(*version) +
                          " is not supported (airlock reads PEP 751 version 1.x)");
    auto env = target.environment();
    auto who =
        "target " + quote(target.name) + " (Python " + target.python + ", " + target.platform + ")";

    if (auto environments = doc["environments"].as_array()) {
        bool any = false;
        for (auto& e : *environments) {
            auto marker = e.value<std::string>();
            if (!marker)
                throw located(&e, "every entry of `environments` must be a string");
            auto parsed = within("reading `environments` of " + std::string(source),
                                 [&] { return pep508::Marker::parse(*marker); });
            any = any || parsed.evaluate(env);
        }
        if (!any)
            throw located(doc.get("environments"),
                          "the lock's `environments` do not include " + who)
                .with_hint(
                    "lock for that platform too (e.g. `uv export --format pylock.toml` "
                    "with the environment added), or drop the target");
    }
    if (auto rp = doc["requires-python"].value<std::string>()) {
        auto spec = within("reading `requires-python` of " + std::string(source),
                           [&] { return pep440::SpecifierSet::parse(*rp); });
        auto python = pep440::Version::parse(target.python_full_version());
        if (!spec.contains(python, pep440::Prereleases::allow))
            throw located(doc.get("requires-python"), "the lock requires Python " + *rp + ", and " +
                                                          who + " has " + target.python);
    }

    lock::TargetLock out;
    out.target = target.name;
    out.requires_python =
        target.python == target.python_minor() ? "==" + target.python + ".*" : "==" + target.python;
    out.environments = {"sys_platform == \"" + env.sys_platform + "\" and platform_machine == \"" +
                        env.platform_machine + "\" and implementation_name == \"" +
                        env.implementation_name + "\" and python_version == \"" +
                        env.python_version + "\""};
    auto* packages = doc["packages"].as_array();
    if (!packages)
        throw located(&doc, "the lock has no [[packages]]");
    static const std::regex sha256("[0-9a-f]{64}");
    for (auto& node : *packages) {
        auto* t = node.as_table();
        if (!t)
            throw located(&node, "each [[packages]] entry must be a table");
        auto name = (*t)["name"].value<std::string>();
        if (!name)
            throw located(t, "a [[packages]] entry has no `name`");
        std::string what = "package " + quote(*name);
        if (auto marker = (*t)["marker"].value<std::string>()) {
            auto parsed = within("reading the marker of " + what,
                                 [&] { return pep508::Marker::parse(*marker); });
            if (!parsed.evaluate(env))
                continue;  // not installed on this target
        }
        auto version = (*t)["version"].value<std::string>();
        if (!version)
            throw located(t, what + " has no `version`; airlock takes named, versioned wheels");
        auto* wheels = (*t)["wheels"].as_array();
        if (!wheels || wheels->empty())
            throw located(t, what +
                                 " has no wheels: airlock installs wheels only (sdists, VCS and "
                                 "directory sources are not supported)");
        const toml::table* best = nullptr;
        std::size_t best_rank = 0;
        std::vector<std::string> names;
        for (auto& wn : *wheels) {
            auto* w = wn.as_table();
            if (!w)
                throw located(&wn, "each wheel of " + what + " must be a table");
            std::string file = (*w)["name"].value_or(std::string());
            if (file.empty()) {
                // PEP 751: the name may be left out and taken from the URL.
                auto url = (*w)["url"].value_or(std::string());
                file = url.substr(url.rfind('/') + 1);
            }
            auto parsed = wheel::WheelFilename::try_parse(file);
            if (!parsed)
                throw located(w, quote(file) + " of " + what + " is not a wheel file name");
            names.push_back(file);
            auto rank = target.rank(parsed->tags);
            if (rank && (!best || *rank < best_rank)) {
                best = w;
                best_rank = *rank;
            }
        }
        if (!best) {
            std::string list;
            for (std::size_t i = 0; i < names.size() && i < 3; ++i)
                list += (i ? ", " : "") + names[i];
            throw located(t, what + " " + *version + " has no wheel for " + who + " (only " + list +
                                 (names.size() > 3 ? ", …" : "") + ")")
                .with_hint("the lock was made for other platforms; lock again for this target");
        }
        lock::LockedFile f;
        f.name = (*best)["name"].value_or(std::string());
        auto url = (*best)["url"].value<std::string>();
        if (!url)
            throw located(best, "the wheel of " + what +
                                    " has no `url` (a `path` is not supported: airlock downloads "
                                    "what it bundles)");
        f.url = *url;
        if (f.name.empty())
            f.name = f.url.substr(f.url.rfind('/') + 1);
        if (auto size = (*best)["size"].value<std::int64_t>(); size && *size >= 0)
            f.size = static_cast<std::uint64_t>(*size);
        auto sha = (*best)["hashes"]["sha256"].value<std::string>();
        if (!sha || !std::regex_match(*sha, sha256))
            throw located(best, "the wheel " + quote(f.name) + " of " + what +
                                    " has no sha256 in `hashes`; airlock checks every file by "
                                    "sha256");
        f.sha256 = *sha;
        lock::LockedPackage p;
        p.name = pep503::normalize(*name);
        p.version = *version;
        p.index = (*t)["index"].value_or(std::string());
        p.wheels.push_back(std::move(f));
        out.packages.push_back(std::move(p));
    }
    std::sort(
        out.packages.begin(), out.packages.end(),
        [](const lock::LockedPackage& a, const lock::LockedPackage& b) { return a.name < b.name; });
    return out;
}

lock::TargetLock select_from_pylock_file(const std::filesystem::path& path,
                                         const target::Target& target) {
    return select_from_pylock(read_file(path, "the lock file"), path.string(), target);
}

}  // namespace airlock::resolve

#include "builder/manifest/pylock_requirements.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/pep503/name.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <regex>

namespace airlock::manifest {

PylockRequirements read_pylock_requirements(const std::filesystem::path& path) {
    auto text = read_file(path, "the lock file");
    toml::table doc;
    try {
        doc = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        SourceLocation where{path.string(), e.source().begin.line, e.source().begin.column};
        throw Error(source_excerpt(where, line_of(text, where.line),
                                   "invalid TOML: " + std::string(e.description())));
    }
    auto located = [&](const toml::node& node, const std::string& message) {
        SourceLocation where{path.string(), node.source().begin.line, node.source().begin.column};
        return Error(source_excerpt(where, line_of(text, where.line), message));
    };
    if (!doc["lock-version"].value<std::string>())
        throw located(doc, "this is not a PEP 751 lock: it has no `lock-version`");
    PylockRequirements out;
    out.requirements.require_hashes = true;
    std::vector<std::string> order;  // index URLs in order of first use
    std::map<std::string, std::vector<std::string>> by_index;
    static const std::regex sha256("[0-9a-f]{64}");
    auto* packages = doc["packages"].as_array();
    if (!packages || packages->empty())
        throw located(doc, "the lock has no [[packages]]");
    for (auto& node : *packages) {
        auto* t = node.as_table();
        if (!t)
            throw located(node, "each [[packages]] entry must be a table");
        auto name = (*t)["name"].value<std::string>();
        auto version = (*t)["version"].value<std::string>();
        if (!name || !version)
            throw located(*t, "a package without `name` and `version` cannot become a pin");
        RequirementLine r;
        r.name = pep503::normalize(*name);
        r.text = r.name + "==" + *version;
        if (auto marker = (*t)["marker"].value<std::string>())
            r.text += " ; " + *marker;
        r.where = {path.string(), t->source().begin.line, t->source().begin.column};
        if (auto* wheels = (*t)["wheels"].as_array()) {
            for (auto& w : *wheels) {
                auto sha = w.as_table() ? (*w.as_table())["hashes"]["sha256"].value<std::string>()
                                        : std::nullopt;
                if (sha && std::regex_match(*sha, sha256) &&
                    std::find(r.sha256.begin(), r.sha256.end(), *sha) == r.sha256.end())
                    r.sha256.push_back(*sha);
            }
        }
        if (r.sha256.empty())
            throw located(*t, "package " + quote(*name) +
                                  " has no wheel with a sha256; airlock bundles wheels, checked "
                                  "by hash");
        if (auto index = (*t)["index"].value<std::string>()) {
            if (!by_index.count(*index))
                order.push_back(*index);
            auto& names = by_index[*index];
            if (std::find(names.begin(), names.end(), r.name) == names.end())
                names.push_back(r.name);
        }
        out.requirements.requirements.push_back(std::move(r));
    }
    if (order.empty())
        throw located(doc,
                      "no package names its `index`, so the manifest would not know where "
                      "to take them from")
            .with_hint("use `airlock-build lock --pylock` to take the locked URLs as they are");
    auto main = *std::max_element(order.begin(), order.end(), [&](auto& a, auto& b) {
        return by_index[a].size() < by_index[b].size();
    });
    out.indexes.push_back({main, {}});
    for (const auto& url : order)
        if (url != main)
            out.indexes.push_back({url, by_index[url]});
    return out;
}

}  // namespace airlock::manifest

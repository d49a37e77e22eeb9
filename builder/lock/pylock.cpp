#include "builder/lock/pylock.hpp"

#include "core/base/toml_string.hpp"

#include "builder/lock/atomic_file.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"
#include "core/base/source_excerpt.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace airlock::lock {
namespace {

std::vector<LockedPackage> sorted(std::vector<LockedPackage> packages) {
    std::sort(packages.begin(), packages.end(), [](const LockedPackage& a, const LockedPackage& b) {
        return std::tie(a.name, a.version) < std::tie(b.name, b.version);
    });
    for (auto& p : packages)
        std::sort(p.wheels.begin(), p.wheels.end(),
                  [](const LockedFile& a, const LockedFile& b) { return a.name < b.name; });
    return packages;
}

}  // namespace

std::filesystem::path pylock_path(const std::filesystem::path& dir, std::string_view target) {
    return dir / ("pylock." + std::string(target) + ".toml");
}

std::string format_pylock(const TargetLock& lock) {
    std::string out;
    out += "lock-version = \"1.0\"\n";
    if (!lock.environments.empty())
        out += "environments = " + toml_string_array(lock.environments) + "\n";
    if (!lock.requires_python.empty())
        out += "requires-python = " + toml_string(lock.requires_python) + "\n";
    out += "created-by = \"airlock\"\n";
    for (const auto& p : sorted(lock.packages)) {
        out += "\n[[packages]]\n";
        out += "name = " + toml_string(p.name) + "\n";
        out += "version = " + toml_string(p.version) + "\n";
        if (!p.index.empty())
            out += "index = " + toml_string(p.index) + "\n";
        for (const auto& w : p.wheels) {
            out += "\n[[packages.wheels]]\n";
            out += "name = " + toml_string(w.name) + "\n";
            out += "url = " + toml_string(w.url) + "\n";
            if (w.size)
                out += "size = " + std::to_string(*w.size) + "\n";
            out += "hashes = {" +
                   (w.sha256.empty() ? std::string() : " sha256 = " + toml_string(w.sha256) + " ") +
                   "}\n";
        }
        bool mirrors = std::any_of(p.wheels.begin(), p.wheels.end(),
                                   [](const LockedFile& w) { return !w.mirrors.empty(); });
        if (!p.index_name.empty() || mirrors) {
            out += "\n[packages.tool.airlock]\n";
            if (!p.index_name.empty())
                out += "index-name = " + toml_string(p.index_name) + "\n";
            if (mirrors) {
                out += "mirrors = {";
                bool first = true;
                for (const auto& w : p.wheels) {
                    if (w.mirrors.empty())
                        continue;
                    out += (first ? " " : ", ") + toml_string(w.name) + " = " +
                           toml_string_array(w.mirrors);
                    first = false;
                }
                out += " }\n";
            }
        }
    }
    if (!lock.inputs.empty()) {
        out += "\n[tool.airlock]\n";
        out +=
            "# digests of the manifest parts this lock was resolved from (credentials excluded);\n";
        out += "# `airlock-build fetch|build --lock` refuse the lock when the manifest differs\n";
        out += "inputs = {";
        bool first = true;
        for (const auto& [part, digest] : lock.inputs) {
            out += (first ? " " : ", ") + part + " = " + toml_string(digest);
            first = false;
        }
        out += " }\n";
    }
    return out;
}

TargetLock parse_pylock(std::string_view text, std::string_view source, std::string target) {
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        SourceLocation where{std::string(source), e.source().begin.line, e.source().begin.column};
        throw Error(source_excerpt(where, line_of(text, where.line), e.description()));
    }
    auto located = [&](const toml::node* node, const std::string& message) {
        if (!node)
            return Error(std::string(source) + ": " + message);
        SourceLocation where{std::string(source), node->source().begin.line,
                             node->source().begin.column};
        return Error(source_excerpt(where, line_of(text, where.line), message));
    };
    auto required_string = [&](const toml::table& t, std::string_view key,
                               const std::string& what) -> std::string {
        const toml::node* n = t.get(key);
        if (!n)
            throw located(&t, what + " has no " + quote(key));
        auto v = n->value<std::string>();
        if (!v)
            throw located(n, quote(key) + " of " + what + " must be a string");
        return *v;
    };

    TargetLock lock;
    lock.target = std::move(target);
    auto version = required_string(doc, "lock-version", "the lock file");
    if (version.rfind("1.", 0) != 0)
        throw located(doc.get("lock-version"),
                      "lock-version " + quote(version) +
                          " is not supported (airlock reads PEP 751 version 1.x)");
    if (auto rp = doc["requires-python"].value<std::string>())
        lock.requires_python = *rp;
    if (auto envs = doc["environments"].as_array())
        for (auto& e : *envs)
            if (auto s = e.value<std::string>())
                lock.environments.push_back(*s);

    if (auto inputs = doc["tool"]["airlock"]["inputs"].as_table()) {
        for (auto&& [part, digest] : *inputs) {
            if (auto text = digest.value<std::string>())
                lock.inputs[std::string(part.str())] = *text;
        }
    }
    if (auto packages = doc["packages"].as_array()) {
        for (auto& node : *packages) {
            auto* t = node.as_table();
            if (!t)
                throw located(&node, "each [[packages]] entry must be a table");
            LockedPackage p;
            p.name = required_string(*t, "name", "a [[packages]] entry");
            std::string what = "package " + quote(p.name);
            p.version = required_string(*t, "version", what);
            if (auto idx = (*t)["index"].value<std::string>())
                p.index = *idx;
            if (auto name = (*t)["tool"]["airlock"]["index-name"].value<std::string>())
                p.index_name = *name;
            auto* wheels = (*t)["wheels"].as_array();
            if (!wheels || wheels->empty())
                throw located(t, what +
                                     " has no [[packages.wheels]]: airlock installs wheels "
                                     "only (sdists, VCS and directory sources are not "
                                     "supported)");
            for (auto& wn : *wheels) {
                auto* w = wn.as_table();
                if (!w)
                    throw located(&wn, "each wheel of " + what + " must be a table");
                LockedFile f;
                f.name = required_string(*w, "name", "a wheel of " + what);
                f.url = required_string(*w, "url", "wheel " + quote(f.name));
                if (auto size = (*w)["size"].value<std::int64_t>()) {
                    if (*size < 0)
                        throw located(w->get("size"), "size must not be negative");
                    f.size = static_cast<std::uint64_t>(*size);
                }
                if (auto sha = (*w)["hashes"]["sha256"].value<std::string>())
                    f.sha256 = *sha;
                if (auto m = (*t)["tool"]["airlock"]["mirrors"][f.name].as_array())
                    for (auto& u : *m)
                        if (auto s = u.value<std::string>())
                            f.mirrors.push_back(*s);
                p.wheels.push_back(std::move(f));
            }
            lock.packages.push_back(std::move(p));
        }
    }
    lock.packages = sorted(std::move(lock.packages));
    return lock;
}

TargetLock read_pylock(const std::filesystem::path& path) {
    std::string text = read_file(path, "the lock file",
                                 "run `airlock-build lock MANIFEST -o DIR` to write it first");
    std::string file = path.filename().string();
    std::string target = file;
    if (file.size() > 12 && file.rfind("pylock.", 0) == 0 && file.ends_with(".toml"))
        target = file.substr(7, file.size() - 12);
    return parse_pylock(text, path.string(), target);
}

std::filesystem::path write_pylock(const std::filesystem::path& dir, const TargetLock& lock) {
    auto path = pylock_path(dir, lock.target);
    write_if_changed(path, format_pylock(lock));
    return path;
}

}  // namespace airlock::lock

#include "builder/lock/conda_lock.hpp"

#include "builder/lock/atomic_file.hpp"
#include "core/base/error.hpp"
#include "core/base/source_excerpt.hpp"
#include "core/base/toml_string.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>

namespace airlock::lock {
namespace {

/// The package name a MatchSpec string starts with (`numpy >=1` → `numpy`), lower case.
std::string spec_name(std::string_view spec) {
    if (auto colons = spec.find("::"); colons != std::string_view::npos)
        spec = spec.substr(colons + 2);
    std::string out;
    for (char c : spec) {
        if (c == ' ' || c == '=' || c == '<' || c == '>' || c == '!' || c == '~' || c == '[')
            break;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
}

}  // namespace

std::filesystem::path conda_explicit_path(const std::filesystem::path& dir,
                                          std::string_view target) {
    return dir / ("conda." + std::string(target) + ".txt");
}

std::filesystem::path conda_lock_path(const std::filesystem::path& dir, std::string_view target) {
    return dir / ("conda." + std::string(target) + ".lock.toml");
}

std::string format_conda_explicit(const std::string& target, const CondaLock& lock) {
    // Depth-first over depends, names in order: dependencies first, deterministic.
    std::map<std::string, const CondaLockedPackage*> by_name;
    for (const auto& p : lock.packages)
        by_name[p.name] = &p;
    std::vector<const CondaLockedPackage*> order;
    std::set<std::string> done, visiting;
    auto visit = [&](auto&& self, const std::string& name) -> void {
        auto it = by_name.find(name);
        if (it == by_name.end() || done.count(name) || !visiting.insert(name).second)
            return;
        std::vector<std::string> deps;
        for (const auto& d : it->second->depends)
            deps.push_back(spec_name(d));
        std::sort(deps.begin(), deps.end());
        for (const auto& d : deps)
            self(self, d);
        done.insert(name);
        order.push_back(it->second);
    };
    for (const auto& [name, p] : by_name)
        visit(visit, name);
    std::string out = "# conda environment of target `" + target + "`, written by airlock-build\n";
    out += "# install on a connected machine: conda create --name ENV --file conda." + target +
           ".txt\n";
    out += "# platform: " + lock.subdir + "\n@EXPLICIT\n";
    for (const auto* p : order)
        out += p->url + "#" + p->sha256 + "\n";
    return out;
}

std::string format_conda_lock(const std::string& target, const CondaLock& lock) {
    std::string out =
        "# The conda environment of target `" + target + "`, written by airlock-build lock.\n";
    out += "lock-version = \"1\"\n";
    out += "target = " + toml_string(target) + "\n";
    out += "subdir = " + toml_string(lock.subdir) + "\n";
    out += "virtual-packages = " + toml_string_array(lock.virtual_packages) + "\n";
    for (const auto& [name, url] : lock.channels)
        out += "\n[[channel]]\nname = " + toml_string(name) + "\nurl = " + toml_string(url) + "\n";
    auto packages = lock.packages;
    std::sort(
        packages.begin(), packages.end(),
        [](const CondaLockedPackage& a, const CondaLockedPackage& b) { return a.name < b.name; });
    for (const auto& p : packages) {
        out += "\n[[package]]\n";
        out += "name = " + toml_string(p.name) + "\n";
        out += "version = " + toml_string(p.version) + "\n";
        out += "build = " + toml_string(p.build) + "\n";
        out += "build-number = " + std::to_string(p.build_number) + "\n";
        out += "channel = " + toml_string(p.channel) + "\n";
        out += "subdir = " + toml_string(p.subdir) + "\n";
        if (!p.noarch.empty())
            out += "noarch = " + toml_string(p.noarch) + "\n";
        out += "file = " + toml_string(p.file) + "\n";
        out += "url = " + toml_string(p.url) + "\n";
        out += "size = " + std::to_string(p.size) + "\n";
        out += "sha256 = " + toml_string(p.sha256) + "\n";
        out += "md5 = " + toml_string(p.md5) + "\n";
        out += "depends = " + toml_string_array(p.depends) + "\n";
        if (!p.constrains.empty())
            out += "constrains = " + toml_string_array(p.constrains) + "\n";
    }
    return out;
}

CondaLock parse_conda_lock(std::string_view text, std::string_view source) {
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        SourceLocation where{std::string(source), e.source().begin.line, e.source().begin.column};
        throw Error(source_excerpt(where, line_of(text, where.line), e.description()));
    }
    auto fail = [&](const toml::node& node, const std::string& message) {
        SourceLocation where{std::string(source), node.source().begin.line,
                             node.source().begin.column};
        return Error(source_excerpt(where, line_of(text, where.line), message));
    };
    auto string = [&](const toml::table& t, std::string_view key, bool required = true) {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required)
                throw fail(t, "missing " + quote(key));
            return std::string();
        }
        auto v = n->value<std::string>();
        if (!v)
            throw fail(*n, quote(key) + " must be a string");
        return *v;
    };
    auto strings = [&](const toml::table& t, std::string_view key) {
        std::vector<std::string> out;
        if (const toml::node* n = t.get(key)) {
            auto a = n->as_array();
            if (!a)
                throw fail(*n, quote(key) + " must be an array of strings");
            for (auto& e : *a) {
                auto v = e.value<std::string>();
                if (!v)
                    throw fail(e, quote(key) + " must be an array of strings");
                out.push_back(*v);
            }
        }
        return out;
    };
    auto number = [&](const toml::table& t, std::string_view key) -> std::uint64_t {
        const toml::node* n = t.get(key);
        if (!n)
            throw fail(t, "missing " + quote(key));
        auto v = n->value<std::int64_t>();
        if (!v || *v < 0)
            throw fail(*n, quote(key) + " must be a non-negative integer");
        return static_cast<std::uint64_t>(*v);
    };
    if (string(doc, "lock-version") != "1")
        throw fail(*doc.get("lock-version"), "unsupported lock-version (airlock writes \"1\")");
    CondaLock lock;
    lock.subdir = string(doc, "subdir");
    lock.virtual_packages = strings(doc, "virtual-packages");
    if (auto channels = doc["channel"].as_array())
        for (auto& c : *channels)
            if (auto t = c.as_table())
                lock.channels.emplace_back(string(*t, "name"), string(*t, "url"));
    if (auto packages = doc["package"].as_array()) {
        for (auto& node : *packages) {
            auto t = node.as_table();
            if (!t)
                throw fail(node, "[[package]] must be a table");
            CondaLockedPackage p;
            p.name = string(*t, "name");
            p.version = string(*t, "version");
            p.build = string(*t, "build");
            p.build_number = number(*t, "build-number");
            p.channel = string(*t, "channel");
            p.subdir = string(*t, "subdir");
            p.noarch = string(*t, "noarch", false);
            p.file = string(*t, "file");
            p.url = string(*t, "url");
            p.size = number(*t, "size");
            p.sha256 = string(*t, "sha256");
            p.md5 = string(*t, "md5");
            p.depends = strings(*t, "depends");
            p.constrains = strings(*t, "constrains");
            lock.packages.push_back(std::move(p));
        }
    }
    return lock;
}

std::filesystem::path write_conda_lock(const std::filesystem::path& dir, const std::string& target,
                                       const CondaLock& lock) {
    write_if_changed(conda_explicit_path(dir, target), format_conda_explicit(target, lock));
    auto path = conda_lock_path(dir, target);
    write_if_changed(path, format_conda_lock(target, lock));
    return path;
}

}  // namespace airlock::lock

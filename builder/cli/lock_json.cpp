#include "builder/cli/lock_json.hpp"

#include "builder/net/url.hpp"

#include <algorithm>

namespace airlock::builder {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json pip_part(const lock::TargetLock& lock) {
    nlohmann::json pip;
    pip["requires_python"] = lock.requires_python;
    pip["packages"] = nlohmann::json::array();
    std::uint64_t total = 0;
    bool all_sizes = true;
    for (const auto& p : lock.packages) {
        nlohmann::json package{{"name", p.name},
                               {"version", p.version},
                               {"index", p.index_name},
                               {"index_url", net::redact(p.index)}};
        package["files"] = nlohmann::json::array();
        for (const auto& w : p.wheels) {
            auto mirrors = nlohmann::json::array();
            for (const auto& m : w.mirrors)
                mirrors.push_back(net::redact(m));
            package["files"].push_back(
                {{"name", w.name},
                 {"url", net::redact(w.url)},
                 {"mirrors", std::move(mirrors)},
                 {"size", w.size ? nlohmann::json(*w.size) : nlohmann::json()},
                 {"sha256", w.sha256}});
            total += w.size.value_or(0);
            all_sizes = all_sizes && w.size.has_value();
        }
        pip["packages"].push_back(std::move(package));
    }
    pip["bytes"] = total;
    pip["all_sizes_known"] = all_sizes;
    return pip;
}

nlohmann::json conda_part(const lock::CondaLock& c) {
    nlohmann::json conda{{"subdir", c.subdir}, {"virtual_packages", c.virtual_packages}};
    conda["channels"] = nlohmann::json::array();
    for (const auto& [name, url] : c.channels)
        conda["channels"].push_back({{"name", name}, {"url", net::redact(url)}});
    conda["packages"] = nlohmann::json::array();
    std::uint64_t total = 0;
    for (const auto& p : c.packages) {
        conda["packages"].push_back({{"name", p.name},
                                     {"version", p.version},
                                     {"build", p.build},
                                     {"channel", net::redact(p.channel)},
                                     {"subdir", p.subdir},
                                     {"file", p.file},
                                     {"url", net::redact(p.url)},
                                     {"size", p.size},
                                     {"sha256", p.sha256},
                                     {"md5", p.md5}});
        total += p.size;
    }
    conda["bytes"] = total;
    return conda;
}

}  // namespace

nlohmann::json lock_json(const manifest::Manifest& manifest,
                         const std::vector<lock::TargetLock>& locks,
                         const std::filesystem::path& dir,
                         const std::map<std::string, std::vector<std::string>>& written) {
    nlohmann::json out;
    out["format"] = 1;
    out["bundle"] = {{"name", manifest.bundle.name}, {"version", manifest.bundle.version}};
    out["output"] = dir.string();
    out["targets"] = nlohmann::json::array();
    for (const auto& lock : locks) {
        nlohmann::json t;
        t["name"] = lock.target;
        auto spec =
            std::find_if(manifest.targets.begin(), manifest.targets.end(),
                         [&](const manifest::TargetSpec& s) { return s.name == lock.target; });
        if (spec != manifest.targets.end()) {
            t["platform"] = spec->platform;
            t["python"] = spec->python;
            t["implementation"] = spec->implementation;
            t["cuda"] = optional_text(spec->cuda);
        }
        auto it = written.find(lock.target);
        t["files"] = it == written.end() ? nlohmann::json::array() : nlohmann::json(it->second);
        // A [conda]-only manifest has no pip part (`lock` writes no pylock for it).
        const bool pip = !(lock.conda && manifest.python.requirements.empty());
        t["pip"] = pip ? pip_part(lock) : nlohmann::json();
        t["conda"] = lock.conda ? conda_part(*lock.conda) : nlohmann::json();
        out["targets"].push_back(std::move(t));
    }
    return out;
}

}  // namespace airlock::builder

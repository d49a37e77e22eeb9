#include "builder/cli/lock_json.hpp"

namespace airlock::builder {

nlohmann::json lock_json(const std::vector<lock::TargetLock>& locks,
                         const std::filesystem::path& dir,
                         const std::map<std::string, std::vector<std::string>>& written) {
    nlohmann::json out;
    out["output"] = dir.string();
    out["targets"] = nlohmann::json::array();
    for (const auto& lock : locks) {
        nlohmann::json t;
        t["name"] = lock.target;
        t["requires_python"] = lock.requires_python;
        auto it = written.find(lock.target);
        t["files"] = it == written.end() ? nlohmann::json::array() : nlohmann::json(it->second);
        t["packages"] = nlohmann::json::array();
        std::uint64_t total = 0;
        bool all_sizes = true;
        for (const auto& p : lock.packages) {
            nlohmann::json package{{"name", p.name},
                                   {"version", p.version},
                                   {"index", p.index_name},
                                   {"index_url", p.index}};
            package["files"] = nlohmann::json::array();
            for (const auto& w : p.wheels) {
                package["files"].push_back(
                    {{"name", w.name},
                     {"url", w.url},
                     {"mirrors", w.mirrors},
                     {"size", w.size ? nlohmann::json(*w.size) : nlohmann::json()},
                     {"sha256", w.sha256}});
                total += w.size.value_or(0);
                all_sizes = all_sizes && w.size.has_value();
            }
            t["packages"].push_back(std::move(package));
        }
        t["bytes"] = total;
        t["all_sizes_known"] = all_sizes;
        if (lock.conda) {
            const auto& c = *lock.conda;
            nlohmann::json conda{{"subdir", c.subdir}, {"virtual_packages", c.virtual_packages}};
            conda["channels"] = nlohmann::json::array();
            for (const auto& [name, url] : c.channels)
                conda["channels"].push_back({{"name", name}, {"url", url}});
            conda["packages"] = nlohmann::json::array();
            for (const auto& p : c.packages) {
                conda["packages"].push_back({{"name", p.name},
                                             {"version", p.version},
                                             {"build", p.build},
                                             {"channel", p.channel},
                                             {"subdir", p.subdir},
                                             {"file", p.file},
                                             {"url", p.url},
                                             {"size", p.size},
                                             {"sha256", p.sha256}});
            }
            t["conda"] = std::move(conda);
        }
        out["targets"].push_back(std::move(t));
    }
    return out;
}

}  // namespace airlock::builder

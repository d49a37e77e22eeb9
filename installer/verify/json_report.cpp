#include "installer/verify/json_report.hpp"

#include <algorithm>

namespace airlock::verify {

std::string kind_name(bundle::Problem::Kind kind) {
    using K = bundle::Problem::Kind;
    switch (kind) {
        case K::missing:
            return "missing";
        case K::extra:
            return "extra";
        case K::wrong_size:
            return "wrong_size";
        case K::wrong_hash:
            return "wrong_hash";
        case K::unsafe_path:
            return "unsafe_path";
        case K::unsafe_type:
            return "unsafe_type";
        case K::duplicate:
            return "duplicate";
        case K::damaged:
            return "damaged";
    }
    return "unknown";
}

nlohmann::json listing_json(const bundle::BundleManifest& m, const std::string& key,
                            bool verified) {
    nlohmann::json out;
    out["bundle"] = m.name.str();
    out["version"] = m.version.str();
    out["sequence"] = m.sequence;
    out["created"] = m.created;
    out["builder"] = m.builder;
    out["signature"] = {{"key", key.empty() ? nlohmann::json() : nlohmann::json(key)},
                        {"verified", verified}};
    std::uint64_t total = 0;
    for (const auto& f : m.files)
        total += f.size;
    out["files"] = m.files.size();
    out["bytes"] = total;
    out["targets"] = nlohmann::json::array();
    for (const auto& t : m.targets) {
        nlohmann::json target;
        target["name"] = t.name.str();
        target["python"] = t.python;
        target["platform"] = t.platform;
        target["cuda"] = t.cuda ? nlohmann::json(*t.cuda) : nlohmann::json();
        target["packages"] = nlohmann::json::array();
        std::vector<const bundle::BundleFile*> packages;
        for (const auto* f : m.files_for(t.name))
            if (!f->package.empty())
                packages.push_back(f);
        std::sort(packages.begin(), packages.end(),
                  [](auto* a, auto* b) { return a->package.str() < b->package.str(); });
        for (const auto* f : packages) {
            target["packages"].push_back({{"name", f->package.str()},
                                          {"version", f->version.str()},
                                          {"path", f->path.str()},
                                          {"size", f->size},
                                          {"sha256", f->sha256}});
        }
        out["targets"].push_back(std::move(target));
    }
    return out;
}

nlohmann::json verify_json(const bundle::VerifyReport& report, const std::string& key) {
    const auto& m = report.manifest;
    nlohmann::json out;
    out["ok"] = report.problems.empty();
    out["bundle"] = m.name.str();
    out["version"] = m.version.str();
    out["sequence"] = m.sequence;
    out["signature"] = {{"key", key.empty() ? nlohmann::json() : nlohmann::json(key)},
                        {"verified", !key.empty()}};
    out["files"] = m.files.size();
    out["bytes_checked"] = report.bytes_checked;
    out["problems"] = nlohmann::json::array();
    for (const auto& p : report.problems) {
        out["problems"].push_back({{"kind", kind_name(p.kind)},
                                   {"path", p.path},
                                   {"detail", p.detail},
                                   {"message", p.message()}});
    }
    return out;
}

std::string dump_json(const nlohmann::json& value) {
    return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace airlock::verify

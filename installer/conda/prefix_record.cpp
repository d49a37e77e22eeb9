#include "installer/conda/prefix_record.hpp"

#include "core/base/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace airlock::install::conda {

std::string prefix_record_json(const PrefixRecordInput& in) {
    using nlohmann::json;
    json record = json::parse(in.index_json, nullptr, false);
    if (record.is_discarded() || !record.is_object())
        throw Error("info/index.json is not a JSON object");
    record["fn"] = in.fn;
    record["url"] = in.url;
    record["channel"] = in.channel;
    if (!in.sha256.empty())
        record["sha256"] = in.sha256;
    if (!in.md5.empty())
        record["md5"] = in.md5;
    if (in.size)
        record["size"] = *in.size;
    record["requested_spec"] = in.requested_spec;
    std::vector<std::string> files;
    json paths = json::array();
    auto sorted = in.paths;
    std::sort(sorted.begin(), sorted.end(),
              [](const InstalledPath& a, const InstalledPath& b) { return a.path < b.path; });
    for (const auto& p : sorted) {
        files.push_back(p.path);
        json e = {{"_path", p.path}, {"path_type", p.path_type}};
        if (!p.sha256.empty())
            e["sha256"] = p.sha256;
        e["sha256_in_prefix"] = p.sha256_in_prefix.empty() ? p.sha256 : p.sha256_in_prefix;
        if (e["sha256_in_prefix"].get_ref<const std::string&>().empty())
            e.erase("sha256_in_prefix");
        if (p.size)
            e["size_in_bytes"] = *p.size;
        if (!p.prefix_placeholder.empty()) {
            e["prefix_placeholder"] = p.prefix_placeholder;
            e["file_mode"] = p.file_mode;
        }
        if (p.no_link)
            e["no_link"] = true;
        paths.push_back(std::move(e));
    }
    record["files"] = files;
    record["paths_data"] = {{"paths", std::move(paths)}, {"paths_version", 1}};
    // 3 = copy: the files were written into the prefix, not linked to a package cache.
    record["link"] = {{"source", in.link_source}, {"type", 3}};
    return record.dump(2) + "\n";
}

std::string dist_string(const std::string& channel, const std::string& subdir,
                        const std::string& stem) {
    std::string name = channel;
    while (!name.empty() && name.back() == '/')
        name.pop_back();
    if (name.find("://") != std::string::npos) {
        if (!subdir.empty() && name.ends_with("/" + subdir))
            name.resize(name.size() - subdir.size() - 1);
        name = name.substr(name.rfind('/') + 1);
    }
    if (name.empty())
        name = "local";
    return name + "/" + (subdir.empty() ? std::string("noarch") : subdir) + "::" + stem;
}

std::string history_entry(const std::string& utc_time, const std::string& command,
                          std::vector<std::string> dists, const std::vector<std::string>& specs,
                          std::vector<std::string> removed) {
    std::sort(dists.begin(), dists.end());
    std::sort(removed.begin(), removed.end());
    std::string out = "==> " + utc_time + " <==\n# cmd: " + command + "\n";
    for (const auto& d : removed)
        out += "-" + d + "\n";
    for (const auto& d : dists)
        out += "+" + d + "\n";
    if (!specs.empty()) {
        out += "# update specs: [";
        for (std::size_t i = 0; i < specs.size(); ++i)
            out += (i ? ", '" : "'") + specs[i] + "'";
        out += "]\n";
    }
    return out;
}

}  // namespace airlock::install::conda

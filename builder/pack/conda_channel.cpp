#include "builder/pack/conda_channel.hpp"

#include "core/conda/repodata_writer.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace airlock::pack {

std::vector<RepodataFile> channel_repodata(const std::vector<ChannelPackage>& packages,
                                           const std::vector<std::string>& conda_targets) {
    struct Subdir {
        std::vector<conda::PackageRecord> records;
        std::set<std::string> targets;
        bool all_targets = false;
    };
    std::map<std::string, Subdir> subdirs;
    for (const auto& p : packages) {
        auto& s = subdirs[p.record->subdir];
        s.records.push_back(*p.record);
        if (p.targets.empty())
            s.all_targets = true;
        s.targets.insert(p.targets.begin(), p.targets.end());
    }
    if (subdirs.empty() && conda_targets.empty())
        return {};
    if (!subdirs.count("noarch")) {
        auto& noarch = subdirs["noarch"];
        noarch.targets.insert(conda_targets.begin(), conda_targets.end());
    }
    std::vector<RepodataFile> out;
    for (const auto& [subdir, s] : subdirs) {
        RepodataFile f;
        f.path = "conda/" + subdir + "/repodata.json";
        f.text = conda::write_repodata(subdir, s.records);
        if (!s.all_targets)
            f.targets.assign(s.targets.begin(), s.targets.end());
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace airlock::pack

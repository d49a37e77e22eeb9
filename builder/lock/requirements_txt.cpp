#include "builder/lock/requirements_txt.hpp"

#include "builder/lock/atomic_file.hpp"

#include <algorithm>

namespace airlock::lock {

std::filesystem::path requirements_path(const std::filesystem::path& dir, std::string_view target) {
    return dir / ("requirements." + std::string(target) + ".txt");
}

std::string format_requirements(const TargetLock& lock) {
    std::string out;
    out += "# Locked by airlock for target `" + lock.target + "`";
    if (!lock.requires_python.empty())
        out += " (Python " + lock.requires_python + ")";
    out += ". Generated: do not edit.\n";
    out += "# pip install --no-index --require-hashes --find-links WHEELS -r requirements." +
           lock.target + ".txt\n";
    std::vector<const LockedPackage*> packages;
    for (const auto& p : lock.packages)
        packages.push_back(&p);
    std::sort(packages.begin(), packages.end(), [](const LockedPackage* a, const LockedPackage* b) {
        return std::tie(a->name, a->version) < std::tie(b->name, b->version);
    });
    for (const auto* p : packages) {
        out += p->name + "==" + p->version;
        std::vector<std::string> hashes;
        for (const auto& w : p->wheels)
            if (!w.sha256.empty())
                hashes.push_back(w.sha256);
        std::sort(hashes.begin(), hashes.end());
        hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
        for (const auto& h : hashes)
            out += " \\\n    --hash=sha256:" + h;
        out += "\n";
    }
    return out;
}

std::filesystem::path write_requirements(const std::filesystem::path& dir, const TargetLock& lock) {
    auto path = requirements_path(dir, lock.target);
    write_if_changed(path, format_requirements(lock));
    return path;
}

}  // namespace airlock::lock

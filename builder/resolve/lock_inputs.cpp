#include "builder/resolve/lock_inputs.hpp"

#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

namespace airlock::resolve {
namespace {

std::string digest(const std::string& canonical) {
    return "sha256:" + digest::sha256_hex(canonical);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += item + "\n";
    return out;
}

}  // namespace

std::map<std::string, std::string> lock_inputs(const manifest::Manifest& manifest,
                                               const manifest::TargetSpec& target) {
    std::string python = manifest.python.canonical;
    if (python.empty())
        python = joined(manifest.python.requirements);
    std::string indexes;
    for (const auto& index : manifest.indexes) {
        // URLs are credential-free: a rotated token does not make a lock stale.
        if (index.kind == manifest::IndexKind::find_links)
            indexes += "find_links\n";  // only then: earlier locks' digests stay valid
        indexes += "name " + index.name + "\nurl " + index.url + "\nmirrors\n" +
                   joined(index.mirrors) + "packages\n" + joined(index.packages) + "\n";
    }
    std::string spec = "name " + target.name + "\npython " + target.python + "\nplatform " +
                       target.platform + "\nimplementation " + target.implementation + "\ncuda " +
                       target.cuda.value_or("-") + "\n";
    return {{"python", digest(python)}, {"indexes", digest(indexes)}, {"target", digest(spec)}};
}

void check_lock_inputs(const lock::TargetLock& lock, const std::filesystem::path& file,
                       const manifest::Manifest& manifest, const manifest::TargetSpec& target) {
    if (lock.inputs.empty())
        return;
    auto now = lock_inputs(manifest, target);
    std::vector<std::string> changed;
    for (const auto& [part, value] : now) {
        auto it = lock.inputs.find(part);
        if (it != lock.inputs.end() && it->second == value)
            continue;
        if (part == "python")
            changed.push_back("the [python] requirements or options changed");
        else if (part == "indexes")
            changed.push_back("the [[index]] list changed (a URL, mirror or `packages`)");
        else
            changed.push_back("[[target]] " + quote(target.name) + " changed");
    }
    if (changed.empty())
        return;
    std::string what;
    for (std::size_t i = 0; i < changed.size(); ++i)
        what += (i == 0 ? "" : i + 1 == changed.size() ? " and " : ", ") + changed[i];
    throw Error("the lock " + quote(file.string()) + " is stale: " + what + " since it was written",
                Exit::user)
        .with_hint("run `airlock-build lock " + manifest.path.string() + " -o " +
                   file.parent_path().string() + "` again");
}

}  // namespace airlock::resolve

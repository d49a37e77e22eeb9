#include "core/base/created_parents.hpp"

#include "core/base/error.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace airlock {
namespace fs = std::filesystem;

std::vector<fs::path> missing_directories(const fs::path& dir) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = fs::absolute(dir).lexically_normal(); !p.empty() && p != p.root_path();
         p = p.parent_path()) {
        if (p.filename().empty()) {  // "a/b/" normalizes to "a/b/": step over the empty name
            continue;
        }
        if (fs::exists(fs::symlink_status(p, ec)) || fs::exists(p, ec))
            break;
        missing.insert(missing.begin(), p);
    }
    return missing;
}

CreatedParents::CreatedParents(const fs::path& dir, const std::string& what) {
    for (const auto& p : missing_directories(dir)) {
        if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) {
            const int err = errno;
            const std::string reason = std::strerror(err);
            remove_created();
            throw Error("cannot create the directory " + quote(p.string()) + " for " + what + ": " +
                        reason)
                .with_hint(err == EACCES || err == EPERM || err == EROFS
                               ? "create " + p.parent_path().string() +
                                     "/… with the right owner first (e.g. sudo mkdir -p " +
                                     dir.string() + " && sudo chown $USER " + dir.string() +
                                     "), or choose a destination you can write to"
                               : "choose another destination");
        }
        created_.push_back(p);
    }
}

CreatedParents::~CreatedParents() {
    remove_created();
}

void CreatedParents::remove_created() noexcept {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
        std::error_code ec;
        fs::remove(*it, ec);  // only removes an empty directory
    }
    created_.clear();
}

}  // namespace airlock

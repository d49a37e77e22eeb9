#include "installer/install/temp_tree.hpp"

#include "core/base/error.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace airlock::install {
namespace fs = std::filesystem;

TempTree::TempTree(const fs::path& parent, const std::string& prefix) {
    std::string pattern = (parent / (prefix + "XXXXXX")).string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) {
        throw Error("cannot create a temporary directory in " + quote(parent.string()) + ": " +
                    std::strerror(errno))
            .with_hint(
                "the installer unpacks the bundle next to the destination; check that "
                "the directory exists, is writable and has free space (or pass "
                "--tmp-dir)");
    }
    path_ = buf.data();
}

TempTree::~TempTree() {
    remove();
}

void TempTree::remove() noexcept {
    if (path_.empty())
        return;
    std::error_code ec;
    fs::remove_all(path_, ec);
    path_.clear();
}

CreatedDirectory::CreatedDirectory(fs::path path) : path_(std::move(path)) {
    std::error_code ec;
    existed_ = fs::exists(path_, ec);
}

CreatedDirectory::~CreatedDirectory() {
    if (committed_)
        return;
    std::error_code ec;
    if (!existed_) {
        fs::remove_all(path_, ec);
        return;
    }
    for (const auto& entry : fs::directory_iterator(path_, ec)) {
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

}  // namespace airlock::install

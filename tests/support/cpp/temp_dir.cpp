#include "tests/support/cpp/temp_dir.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace airlock::test_support {
namespace {

/// Gives the owner full access to `dir` and every directory under it, so a test that made one
/// read-only does not keep its tree from being removed.
void make_removable(const std::filesystem::path& dir) {
    std::error_code ignored;
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    for (std::filesystem::directory_iterator it(dir, ignored), end; it != end;
         it.increment(ignored)) {
        if (it->is_directory(ignored) && !it->is_symlink(ignored))
            make_removable(it->path());
    }
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr)
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    path_ = buffer.data();
}

TempDir::~TempDir() {
    if (std::getenv("AIRLOCK_KEEP_TEMP") != nullptr) {
        std::fprintf(stderr, "kept temp dir: %s\n", path_.c_str());
        return;
    }
    make_removable(path_);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace airlock::test_support

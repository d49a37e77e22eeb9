#include "installer/install/space_problem.hpp"

#include "core/base/human_size.hpp"
#include "core/base/terminal_text.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>

namespace airlock::install {
namespace fs = std::filesystem;
namespace {

struct Pattern {
    std::string_view needle;
    std::string_view meaning;
};

constexpr Pattern patterns[] = {
    {"No space left on device", "the disk is full"},
    {"the disk is full", "the disk is full"},
    {"[Errno 28]", "the disk is full"},
    {"Disk quota exceeded", "the disk quota is used up"},
    {"[Errno 122]", "the disk quota is used up"},
    {"File too large", "a file size limit is in force"},
    {"[Errno 27]", "a file size limit is in force"},
};

std::optional<std::string_view> meaning_of(std::string_view text) {
    for (const auto& p : patterns)
        if (text.find(p.needle) != std::string_view::npos)
            return p.meaning;
    return std::nullopt;
}

}  // namespace

std::string space_reason_in(std::string_view text) {
    auto m = meaning_of(text);
    return m ? ": " + std::string(*m) + " (see its message above)" : "";
}

std::string space_reason_at(const fs::path& dir) {
    struct statvfs vfs {};
    if (::statvfs(dir.c_str(), &vfs) != 0)
        return "";
    const auto free = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (free >= 4 * 1024 * 1024)
        return "";
    return ": the disk is full (" + human_size(free) + " free on the filesystem of " +
           terminal_text(dir.string()) + ")";
}

std::optional<std::string> space_problem(const Error& error, const fs::path& destination) {
    std::optional<std::string_view> meaning;
    for (const auto& line : error.chain())
        if (!meaning)
            meaning = meaning_of(line);
    if (!meaning)
        return std::nullopt;
    std::string out =
        "no room to install into " + quote(destination.string()) + ": " + std::string(*meaning);
    // The nearest existing directory (a new destination and its parents may be gone again).
    fs::path at = destination;
    std::error_code ec;
    while (!at.empty() && at != at.root_path() && !fs::is_directory(at, ec))
        at = at.parent_path();
    struct statvfs vfs {};
    if (::statvfs(at.c_str(), &vfs) == 0) {
        const auto free = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
        const auto size = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
        out += "; its filesystem has " + human_size(free) + " free of " + human_size(size) +
               " now that the install was rolled back";
    }
    struct rlimit lim {};
    if (::getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
        out += "; files are limited to " + human_size(static_cast<std::uint64_t>(lim.rlim_cur)) +
               " (ulimit -f)";
    return out;
}

}  // namespace airlock::install

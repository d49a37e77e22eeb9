#include "builder/fetch/fetch_job.hpp"

#include "builder/fetch/partial_state.hpp"
#include "builder/net/url.hpp"
#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace airlock::fetch {

void FetchJob::open_files(const Cache& cache) {
    const auto tmp = cache.tmp_dir();
    const auto key = item->sha256.empty() ? "url-" + digest::sha256_hex(item->urls.front())
                                          : ascii_lower(item->sha256);
    part = tmp / (key + ".part");
    state = tmp / (key + ".state");
    fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        // Another airlock is downloading the same file: do ours privately, without resume.
        ::close(fd);
        part = tmp / (key + "." + std::to_string(::getpid()) + ".part");
        state.clear();
        fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        throw Error("cannot create " + quote(part.string()) + ": " + std::strerror(errno))
            .with_hint("check that the cache directory is writable, or pass --cache-dir");
    }
    validators.assign(item->urls.size(), "");
    mirror_gone.assign(item->urls.size(), false);
    plan = SegmentPlan(item->size);
    size = item->size;
    std::optional<PartialState> saved;
    if (!state.empty())
        saved = PartialState::load(state);
    struct stat st {};
    if (saved && saved->url == net::redact(item->urls.front()) &&
        (!item->size || saved->size == item->size) &&
        saved->validators.size() == item->urls.size() && ::fstat(fd, &st) == 0) {
        bool on_disk = true;
        for (const auto& r : saved->ranges) {
            if (r.done > 0 && r.start + r.done > static_cast<std::uint64_t>(st.st_size))
                on_disk = false;
        }
        if (on_disk) {
            plan = SegmentPlan::from_segments(saved->segments());
            validators = saved->validators;
            size = saved->size;
            ranges = Ranges::yes;
            resumed_bytes = plan.done_bytes();
        }
    }
    if (resumed_bytes == 0) {
        if (::ftruncate(fd, 0) != 0)
            throw Error("cannot truncate " + quote(part.string()) + ": " + std::strerror(errno));
        plan = SegmentPlan(item->size);
    }
}

void FetchJob::save_state() const {
    if (state.empty() || ranges != Ranges::yes || !size || plan.done_bytes() == 0)
        return;
    PartialState saved;
    saved.url = net::redact(item->urls.front());
    saved.size = size;
    saved.validators = validators;
    saved.ranges = PartialState::ranges_of(plan);
    try {
        saved.save(state);
    } catch (const Error&) {
        // Losing resumability is not worth failing a download over.
    }
}

std::string FetchJob::truncate() {
    if (::ftruncate(fd, 0) != 0)
        return "cannot truncate " + quote(part.string()) + ": " + std::strerror(errno);
    if (!state.empty())
        ::unlink(state.c_str());
    return {};
}

void FetchJob::discard() {
    if (fd >= 0)
        ::close(fd);
    fd = -1;
    ::unlink(part.c_str());
    if (!state.empty())
        ::unlink(state.c_str());
}

std::size_t FetchJob::next_mirror(std::size_t from) const {
    auto n = item->urls.size();
    for (std::size_t step = 1; step <= n; ++step) {
        auto candidate = (from + step) % n;
        if (!mirror_gone[candidate])
            return candidate;
    }
    return from;
}

}  // namespace airlock::fetch

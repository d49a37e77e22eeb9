#include "builder/fetch/prefix_hasher.hpp"

#include "core/digest/md5.hpp"
#include "core/digest/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

namespace airlock::fetch {

struct PrefixHasher::Entry {
    int fd = -1;
    std::uint64_t target = 0;  ///< contiguous bytes on disk
    std::optional<std::uint64_t> size;
    std::uint64_t hashed = 0;
    std::uint64_t generation = 0;
    bool busy = false;    ///< the worker is reading it outside the lock
    bool closed = false;  ///< drop when the worker lets go
    digest::Sha256 sha;
    std::optional<digest::Md5> md5;
};

PrefixHasher::PrefixHasher(std::function<void()> notify, int workers) : notify_(std::move(notify)) {
    for (int i = 0; i < std::max(1, workers); ++i)
        workers_.emplace_back([this] { work(); });
}

PrefixHasher::~PrefixHasher() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_)
        worker.join();
}

void PrefixHasher::open(Key key, int fd, WithMd5 md5) {
    std::lock_guard lock(mutex_);
    auto entry = std::make_unique<Entry>();
    entry->fd = fd;
    if (md5 == WithMd5::yes)
        entry->md5.emplace();
    entries_[key] = std::move(entry);
}

void PrefixHasher::reset(Key key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end())
        return;
    auto& e = *it->second;
    e.generation++;
    e.target = 0;
    e.size.reset();
    if (!e.busy) {
        e.hashed = 0;
        e.sha = digest::Sha256();
        if (e.md5)
            e.md5.emplace();
    }
}

void PrefixHasher::advance(Key key, std::uint64_t contiguous) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end())
            return;
        auto& e = *it->second;
        // Wake the worker only for a worthwhile amount, not for every 16 KiB.
        if (contiguous > e.target) {
            wake = contiguous - e.hashed >= (1u << 20) || e.size.has_value();
            e.target = contiguous;
        }
    }
    if (wake)
        wake_.notify_one();
}

void PrefixHasher::finish(Key key, std::uint64_t size) {
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end())
            return;
        it->second->size = size;
        it->second->target = size;
    }
    wake_.notify_one();
}

void PrefixHasher::close(Key key) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end())
        return;
    if (it->second->busy) {
        it->second->closed = true;
    } else {
        entries_.erase(it);
    }
}

std::vector<PrefixHasher::Result> PrefixHasher::take_results() {
    std::lock_guard lock(mutex_);
    return std::exchange(results_, {});
}

void PrefixHasher::post(Result result, std::unique_lock<std::mutex>& lock) {
    results_.push_back(std::move(result));
    lock.unlock();  // notify_ may take locks of its own
    if (notify_)
        notify_();
    lock.lock();
}

void PrefixHasher::work() {
    constexpr std::size_t chunk = 1 << 20;
    std::vector<char> buffer(chunk);
    std::unique_lock lock(mutex_);
    for (;;) {
        // Finishing files first (someone waits on them), then whichever has the most to hash.
        Entry* pick = nullptr;
        Key pick_key = 0;
        for (auto& [key, entry] : entries_) {
            auto& e = *entry;
            if (e.busy)
                continue;  // another worker has it
            bool ready = e.size && e.hashed == *e.size;
            bool has_work = e.target > e.hashed || ready;
            if (!has_work)
                continue;
            if (pick == nullptr || (e.size && !pick->size) ||
                (e.size.has_value() == pick->size.has_value() &&
                 e.target - e.hashed > pick->target - pick->hashed)) {
                pick = &e;
                pick_key = key;
            }
        }
        if (pick == nullptr) {
            if (stop_)
                return;
            wake_.wait_for(lock, std::chrono::milliseconds(200));
            continue;
        }
        auto& e = *pick;
        if (e.size && e.hashed == *e.size) {
            bool closed = e.closed;
            Result result{pick_key, e.sha.hex_digest(), {}, e.md5 ? e.md5->hex_digest() : ""};
            entries_.erase(pick_key);
            if (!closed)
                post(std::move(result), lock);
            continue;
        }
        std::uint64_t offset = e.hashed;
        std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk, e.target - offset));
        std::uint64_t generation = e.generation;
        int fd = e.fd;
        e.busy = true;
        lock.unlock();
        ssize_t got = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
        int read_errno = errno;
        if (got > 0) {
            e.sha.update(buffer.data(), static_cast<std::size_t>(got));
            if (e.md5)
                e.md5->update(buffer.data(), static_cast<std::size_t>(got));
        }
        lock.lock();
        e.busy = false;
        if (e.closed) {
            entries_.erase(pick_key);
            continue;
        }
        if (e.generation != generation) {
            e.hashed = 0;
            e.sha = digest::Sha256();
            if (e.md5)
                e.md5.emplace();
            continue;
        }
        if (got <= 0) {
            Result result{pick_key,
                          {},
                          std::string("cannot read back the download: ") +
                              (got < 0 ? std::strerror(read_errno) : "file too short"),
                          {}};
            entries_.erase(pick_key);
            post(std::move(result), lock);
            continue;
        }
        e.hashed += static_cast<std::uint64_t>(got);
    }
}

}  // namespace airlock::fetch

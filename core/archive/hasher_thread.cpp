#include "core/archive/hasher_thread.hpp"

#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::archive {
namespace {

std::unique_ptr<char[]> ring_memory(std::size_t slots, std::size_t slot_size) {
    if (slots == 0 || slot_size == 0)
        throw Error("a hasher thread needs buffers", Exit::internal);
    return std::make_unique_for_overwrite<char[]>(slots * slot_size);
}

}  // namespace

HasherThread::HasherThread(std::size_t slots, std::size_t slot_size)
    : slots_(slots),
      slot_size_(slot_size),
      batch_(std::max<std::size_t>(1, slots / 2)),
      memory_(ring_memory(slots, slot_size)),
      sizes_(slots, 0),
      thread_([this] { run(); }) {}

HasherThread::~HasherThread() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    handed_more_.notify_one();
    thread_.join();
}

// Both sides sleep and wake in batches of half the ring: the hasher wakes when half the ring
// waits for it, the caller when half the ring is free again (waking the other thread for every
// buffer cost two context switches per buffer). Whoever is free hashes the oldest buffer: the
// caller too, when it finds the ring full (or wants the digest) and the hasher is not hashing,
// e.g. because other work holds the second core. Buffers are hashed one at a time, in order.

void HasherThread::hash_oldest(std::unique_lock<std::mutex>& lock) {
    busy_ = true;
    std::size_t slot = static_cast<std::size_t>(hashed_ % slots_);
    std::size_t size = sizes_[slot];
    lock.unlock();
    std::exception_ptr error;
    try {
        sha_.update(memory_.get() + slot * slot_size_, size);
    } catch (...) {
        error = std::current_exception();
    }
    lock.lock();
    if (error && !error_)
        error_ = error;
    ++hashed_;
    busy_ = false;
}

void HasherThread::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        hasher_idle_ = true;
        handed_more_.wait(lock,
                          [this] { return stop_ || (!busy_ && handed_ - hashed_ >= batch_); });
        hasher_idle_ = false;
        while (!stop_ && !busy_ && hashed_ < handed_) {
            hash_oldest(lock);
            if (caller_waits_ &&
                (want_all_ ? hashed_ == handed_ : slots_ - (handed_ - hashed_) >= batch_))
                hashed_more_.notify_one();
        }
        if (stop_)
            return;
    }
}

void HasherThread::caller_hashes(std::unique_lock<std::mutex>& lock) {
    hash_oldest(lock);
    if (hasher_idle_ && handed_ - hashed_ >= batch_)
        handed_more_.notify_one();
}

std::span<char> HasherThread::next_buffer() {
    std::unique_lock lock(mutex_);
    while (handed_ - hashed_ == slots_) {
        if (!busy_) {
            caller_hashes(lock);
        } else {
            caller_waits_ = true;
            hashed_more_.wait(lock,
                              [this] { return !busy_ || slots_ - (handed_ - hashed_) >= batch_; });
            caller_waits_ = false;
        }
    }
    if (error_)
        std::rethrow_exception(error_);
    std::size_t slot = static_cast<std::size_t>(handed_ % slots_);
    return {memory_.get() + slot * slot_size_, slot_size_};
}

void HasherThread::hash(std::size_t size) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (size > slot_size_ || handed_ - hashed_ >= slots_)
            throw Error("a hasher thread was handed more than its buffer", Exit::internal);
        sizes_[static_cast<std::size_t>(handed_ % slots_)] = size;
        ++handed_;
        wake = hasher_idle_ && !busy_ && handed_ - hashed_ >= batch_;
    }
    if (wake)
        handed_more_.notify_one();
}

std::string HasherThread::hex_digest() {
    std::unique_lock lock(mutex_);
    while (hashed_ < handed_) {
        if (!busy_) {
            caller_hashes(lock);
        } else {
            want_all_ = true;
            caller_waits_ = true;
            hashed_more_.wait(lock, [this] { return !busy_ || hashed_ == handed_; });
            caller_waits_ = false;
            want_all_ = false;
        }
    }
    if (error_) {
        std::exception_ptr error = error_;
        error_ = nullptr;
        sha_ = digest::Sha256();
        std::rethrow_exception(error);
    }
    // Everything is hashed and nobody hashes until the next hash(): the digest is ours to take.
    return sha_.hex_digest();
}

}  // namespace airlock::archive

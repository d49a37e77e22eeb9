#pragma once
/// A SHA-256 computed on a second thread over a small ring of buffers that the caller fills and
/// then writes out: the hasher hashes exactly the bytes the caller writes (one read, no second
/// pass, no window in which the file could change between the two), and the hashing of one
/// buffer overlaps the writing of it and the reading of the next. When the second thread does
/// not get a core (a busy machine), the caller hashes buffers itself instead of waiting.

#include "core/digest/sha256.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace airlock::archive {

class HasherThread {
  public:
    /// `slots` buffers of `slot_size` bytes each (the memory it holds), and the thread.
    HasherThread(std::size_t slots, std::size_t slot_size);
    /// Stops the thread, dropping whatever it was given and has not hashed yet.
    ~HasherThread();
    HasherThread(const HasherThread&) = delete;
    HasherThread& operator=(const HasherThread&) = delete;

    /// The next buffer to fill; waits until the hasher is done with its previous contents.
    std::span<char> next_buffer();
    /// Hands the first `size` bytes of the buffer next_buffer() returned to the hasher. The
    /// caller may go on reading them (to write them out) until it calls next_buffer() again,
    /// and must not change them.
    void hash(std::size_t size);
    /// Waits until everything handed over is hashed; the lowercase hex SHA-256 of all of it
    /// since the last call (the digest starts afresh). Rethrows an error of the hasher.
    std::string hex_digest();

    std::size_t slot_size() const { return slot_size_; }

  private:
    void run();
    /// Hashes the oldest buffer not hashed yet, with the mutex released meanwhile (`busy_`
    /// keeps anyone else from hashing); called with the mutex held, returns with it held.
    void hash_oldest(std::unique_lock<std::mutex>& lock);
    /// The caller hashes the oldest buffer itself, then wakes the hasher if a batch waits.
    void caller_hashes(std::unique_lock<std::mutex>& lock);

    const std::size_t slots_;
    const std::size_t slot_size_;
    const std::size_t batch_;  ///< buffers a sleeping side lets pile up before it is woken
    std::unique_ptr<char[]> memory_;
    std::vector<std::size_t> sizes_;  ///< bytes handed over in each slot
    digest::Sha256 sha_;              ///< touched only by whoever set busy_
    std::mutex mutex_;
    std::condition_variable handed_more_;  ///< to the hasher
    std::condition_variable hashed_more_;  ///< to the caller
    std::uint64_t handed_ = 0;             ///< buffers handed over, ever
    std::uint64_t hashed_ = 0;             ///< buffers hashed, ever (≤ handed_)
    bool hasher_idle_ = false;             ///< the hasher sleeps (until a batch waits, or stop)
    bool caller_waits_ = false;  ///< the caller sleeps (wants a batch of free buffers, or all)
    bool want_all_ = false;      ///< hex_digest() waits: wake it when everything is hashed
    bool busy_ = false;          ///< a thread (hasher or caller) is hashing the oldest buffer
    bool stop_ = false;
    std::exception_ptr error_;
    std::thread thread_;  ///< last: starts once everything above is constructed
};

}  // namespace airlock::archive

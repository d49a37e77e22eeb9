#pragma once
/// SHA-256 of files whose bytes arrive out of order (range segments), computed on a worker
/// thread while the download runs.
///
/// SHA-256 is a chain: block n needs the state after block n-1, so per-segment digests cannot be
/// combined. The hasher therefore follows each file's *contiguous prefix*: whenever bytes
/// [0, n) are all on disk it hashes up to n, reading them back with pread() — straight from the
/// page cache, since they were written moments ago. The first segment streams through as it
/// arrives; later segments are hashed as soon as the gap before them closes, so at the end only
/// the part whose predecessor finished last remains, and hashing overlaps with the network
/// instead of following it. Two workers hash two files at once, so the parts that can only be
/// hashed once the download ended (several large files split across many connections) take
/// half the time on a machine with a core to spare.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace airlock::fetch {

/// Whether a file's MD5 is computed beside its SHA-256 (conda records with no sha256).
enum class WithMd5 { no, yes };

class PrefixHasher {
  public:
    using Key = std::size_t;
    struct Result {
        Key key;
        std::string sha256;  ///< empty when `error` is set
        std::string error;
        std::string md5;  ///< with WithMd5::yes, else empty
    };

    /// `notify` runs on a worker thread whenever a result is ready (e.g. to wake a poll loop).
    explicit PrefixHasher(std::function<void()> notify, int workers = 2);
    ~PrefixHasher();
    PrefixHasher(const PrefixHasher&) = delete;
    PrefixHasher& operator=(const PrefixHasher&) = delete;

    /// Starts following `fd` (owned by the caller, open until its result or close()).
    void open(Key key, int fd, WithMd5 md5 = WithMd5::no);
    /// The file restarts from zero: forget what was hashed.
    void reset(Key key);
    /// Bytes [0, contiguous) are on disk.
    void advance(Key key, std::uint64_t contiguous);
    /// The file is complete at `size` bytes: hash the rest, then report a Result.
    void finish(Key key, std::uint64_t size);
    /// Stops following the file (failed); no Result will come.
    void close(Key key);
    std::vector<Result> take_results();

  private:
    struct Entry;
    void work();
    /// Queues `result` and runs notify_ with `lock` (held on entry and on return) released.
    void post(Result result, std::unique_lock<std::mutex>& lock);

    std::function<void()> notify_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<Key, std::unique_ptr<Entry>> entries_;
    std::vector<Result> results_;
    bool stop_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace airlock::fetch

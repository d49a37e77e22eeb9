#pragma once
/// Parallel, segmented, resumable downloads (HTTP range requests, RFC 9110 §14) verified by
/// SHA-256 into a content-addressed cache: what `airlock-build fetch|build|download` stand on.

#include "builder/net/request_setup.hpp"

#include <chrono>
#include <cstdint>
#include "core/base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::fetch {

struct FetchItem {
    std::string filename;  ///< a plain file name
    /// Where write_wheelhouse() places it under its directory (`conda/linux-64`), or "" for the
    /// top; a safe relative path (core/bundle/checked_text).
    std::string folder;
    std::vector<std::string> urls;  ///< primary then mirrors, same bytes at each
    std::string sha256;  ///< lowercase hex; may be empty (stored under the computed hash)
    /// Hex; checked while streaming when `sha256` is empty (conda records with md5 only).
    std::string md5;
    std::optional<std::uint64_t> size;
};

/// Defaults suit every server profile we measure (tests/bench/fetch_bench.py):
/// - uncapped servers: the throughput probe stops adding connections once they stop helping;
/// - per-connection caps (throttled CDN, `limit_rate`): connections grow to the ceiling;
/// - per-client connection caps (busy mirror, `limit_conn` → 503): the first 503/429/refused
///   connection sets the ceiling to the connections that were being served.
/// Lower `max_connections_per_host` for servers that ban aggressive clients; raise `jobs` for
/// closures of many tiny files on high-latency links.
struct FetchOptions {
    std::filesystem::path cache_dir;  ///< empty: net::default_cache_dir()
    int jobs = 32;                    ///< files in flight at once
    int max_connections_per_host = 64;
    int initial_connections_per_host = 16;
    std::uint64_t min_segment_size = 1 << 20;  ///< never split a remainder below 2× this
    /// libcurl receive buffers of the connections to one server: each gets this divided by the
    /// connections the governor allows (128 KiB to 1 MiB), so few connections get large buffers
    /// (fewer system calls on a fast link) and many get small ones.
    std::uint64_t receive_buffer_budget = 16 << 20;
    enum class Progress { auto_, tty, plain, quiet } progress = Progress::auto_;
    /// `--cert`, the indexes' credentials, and the timeouts and retry policy shared with index
    /// pages: `network.retry.retries` attempts per segment (across mirrors), `network.stall`.
    net::NetworkOptions network;
};

struct Fetched {
    std::filesystem::path blob;  ///< in the cache; read-only, never modify
    std::string sha256;
    std::uint64_t size = 0;
};

/// Downloads every item (or finds it in the cache) and returns one Fetched per item, in order.
/// Throws Error naming every file that failed, with its (redacted) URL and reason; no partial
/// file of a failed item is left in the cache. An interrupted run keeps its partial files so the
/// next run resumes them.
std::vector<Fetched> fetch_all(const std::vector<FetchItem>& items, const FetchOptions& options);

/// What fetch_each got: per item its file (empty `blob` when it failed), and one line per failed
/// file (`name`: reason, URL).
struct FetchReport {
    std::vector<Fetched> fetched;
    std::vector<std::string> failures;
    bool ok() const { return failures.empty(); }
    /// "N of M files could not be downloaded:" and the failures; `hint` says what to do.
    Error error(const std::string& hint) const;
};

/// Like fetch_all, but a file that fails does not cost the others: every file that verified is
/// returned (and cached), the failed ones are listed. Still throws for an interrupt or for an
/// invalid list.
FetchReport fetch_each(const std::vector<FetchItem>& items, const FetchOptions& options);

}  // namespace airlock::fetch

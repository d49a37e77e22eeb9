#pragma once
/// HTTP transfers (RFC 9110 ranges, RFC 9112 messages) driven by the libcurl multi interface:
/// many transfers on one thread, each body handed to a sink as it arrives. The one engine of
/// airlock: files (builder/fetch) and index pages and metadata (http_client.hpp) both run on it,
/// with the same proxy, TLS, credential, timeout and redirect setup (request_setup.hpp).

#include "builder/net/byte_range.hpp"
#include "builder/net/request_setup.hpp"
#include "builder/net/response_head.hpp"
#include "builder/net/shared_sessions.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace airlock::net {

/// Settings shared by every transfer of one engine.
struct EngineOptions {
    /// `--cert`, credentials, timeouts and redirect rules, set on every transfer with the proxy
    /// (request_setup.hpp): the same as for index pages.
    NetworkOptions network;
    /// libcurl's receive buffer per transfer (unless the Request sets one); bounds memory,
    /// whatever the file sizes.
    long buffer_size = 128 * 1024;
    /// Idle connections kept for reuse.
    long max_idle_connections = 256;
    /// How transfers use connections. Files: HTTP/1.1, one connection each (range segments of
    /// one file must not share a multiplexed HTTP/2 connection: servers cap bandwidth per
    /// connection). Pages: HTTP/2 where the server offers it, many small transfers multiplexed
    /// over few connections.
    enum class Connections {
        one_per_transfer,
        multiplexed
    } connections = Connections::one_per_transfer;
    /// Connections open at once per host and in all; 0: no limit (libcurl queues the rest).
    long max_host_connections = 0;
    long max_total_connections = 0;
    /// DNS and TLS sessions shared with other engines (other threads); null: this engine's own.
    std::shared_ptr<SharedSessions> sessions;
    std::string user_agent;  ///< empty: `airlock/<version>`
};

struct Request {
    std::string url;  ///< credential-free (credentials come from EngineOptions::network)
    std::optional<ByteRange> range;
    /// RFC 9110 §13.1.5: an ETag or Last-Modified; a changed resource then answers 200 whole.
    std::string if_range;
    /// libcurl's receive buffer for this transfer; 0: EngineOptions::buffer_size.
    long buffer_size = 0;
    /// More request headers, `Name: value` (Accept, If-None-Match...).
    std::vector<std::string> headers;
    /// `identity`: the bytes exactly as stored (files, ranges). `any`: gzip, br or zstd as the
    /// server likes, decoded before on_body (pages).
    enum class Encoding { identity, any } encoding = Encoding::identity;
};

struct TransferResult {
    enum class Outcome {
        complete,  ///< the server sent the whole body
        stopped,   ///< the sink asked to stop (not an error)
        failed,    ///< network error, stall, or truncated body; see `error`
    } outcome = Outcome::failed;
    /// The transport failure was "could not connect" (refused, unreachable, connect timeout).
    bool connect_failed = false;
    /// The server's certificate was not accepted: asking again cannot help (see `error`).
    bool tls_failed = false;
    /// Asking again may help (a reset, a stall); not after a redirect loop or oversized headers.
    bool retryable = true;
    std::string error;  ///< human-readable reason for `failed`, no credentials
    ResponseHead head;  ///< status 0 when no response arrived
    /// The URL that answered (after redirects), credential-free; "" when none did.
    std::string effective_url;
};

/// Receives one transfer's response. Calls come from TransferEngine::run() on its thread.
class TransferSink {
  public:
    virtual ~TransferSink() = default;
    /// Once, when the final (post-redirect) headers are in. Return false to stop. A `file:` URL
    /// has no headers: its status is 200 (206 for a range), 404 when it cannot be read.
    virtual bool on_head(const ResponseHead& head) = 0;
    /// Body bytes of a 2xx response, in order. Return false to stop the transfer.
    virtual bool on_body(const char* data, std::size_t size) = 0;
    /// Exactly once at the end (not after cancel()). The sink may be destroyed afterwards.
    virtual void on_done(const TransferResult& result) = 0;
};

using TransferId = std::uint64_t;

/// Runs transfers concurrently on the calling thread. Not thread-safe: one thread drives one
/// engine (http_client.hpp keeps one per thread that asks).
class TransferEngine {
  public:
    explicit TransferEngine(EngineOptions options = {});
    ~TransferEngine();
    TransferEngine(const TransferEngine&) = delete;
    TransferEngine& operator=(const TransferEngine&) = delete;

    /// Starts a transfer; `sink` must live until its on_done() or cancel().
    TransferId start(const Request& request, TransferSink& sink);
    /// Stops a transfer without calling its sink again.
    void cancel(TransferId id);
    /// Drives transfers for at most `wait`, calling sinks; returns the number still running.
    std::size_t run(std::chrono::milliseconds wait);
    std::size_t running() const;
    /// Makes a run() that is waiting return early; safe from any thread.
    void wakeup();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace airlock::net

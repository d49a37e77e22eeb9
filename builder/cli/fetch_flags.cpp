#include "builder/cli/fetch_flags.hpp"

#include "builder/net/tls.hpp"

#include <algorithm>

namespace airlock::builder {

void FetchFlags::add_to(CLI::App* cmd) {
    cmd->add_option("--cache-dir", cache_dir,
                    "cache directory (default: $AIRLOCK_CACHE_DIR, $XDG_CACHE_HOME/airlock, "
                    "~/.cache/airlock)");
    cmd->add_option("--cert", cert,
                    "CA bundle (PEM) for TLS, used for every request: index pages, metadata and "
                    "files (default: $SSL_CERT_FILE, else the system store; lock, fetch and "
                    "build: pip's cert first)");
    cmd->add_option("-j,--jobs", jobs, "files downloaded at once")->check(CLI::Range(1, 1024));
    cmd->add_option("--max-connections-per-host", max_connections,
                    "ceiling for connections to one server; below it airlock adapts (grows while "
                    "throughput grows, drops on 503/429/refused). Lower it for servers that ban "
                    "aggressive clients")
        ->check(CLI::Range(1, 1024));
    retries_option_ = cmd->add_option("--retries", retries,
                                      "attempts after the first, per segment of a file and per "
                                      "index page, before it fails")
                          ->check(CLI::Range(0, 100));
    stall_option_ = cmd->add_option("--stall-timeout", stall_timeout,
                                    "seconds below 1 KiB/s before a connection (file or index "
                                    "page) is dropped and retried")
                        ->check(CLI::Range(1, 3600));
    cmd->add_option("--progress", progress, "auto, tty, plain or quiet")
        ->check(CLI::IsMember({"auto", "tty", "plain", "quiet"}));
    cmd->add_flag("-q,--quiet", quiet, "print nothing but errors (no progress, no summary)");
}

std::optional<int> FetchFlags::given_retries() const {
    if (retries_option_ && retries_option_->count() > 0)
        return retries;
    return std::nullopt;
}

std::optional<int> FetchFlags::given_stall_timeout() const {
    if (stall_option_ && stall_option_->count() > 0)
        return stall_timeout;
    return std::nullopt;
}

void FetchFlags::check() const {
    if (!cert.empty())
        net::check_ca_file(cert);
}

ProgressMode FetchFlags::progress_mode() const {
    if (quiet || progress == "quiet")
        return ProgressMode::quiet;
    if (progress == "tty")
        return ProgressMode::tty;
    if (progress == "plain")
        return ProgressMode::plain;
    return stderr_progress_mode();
}

fetch::FetchOptions FetchFlags::options() const {
    fetch::FetchOptions options;
    if (!cache_dir.empty())
        options.cache_dir = cache_dir;
    options.network.ca_file = cert;
    options.jobs = jobs;
    options.max_connections_per_host = max_connections;
    options.initial_connections_per_host =
        std::min(options.initial_connections_per_host, max_connections);
    options.network.retry.retries = retries;
    options.network.stall = std::chrono::seconds(stall_timeout);
    using P = fetch::FetchOptions::Progress;
    options.progress = quiet                 ? P::quiet
                       : progress == "tty"   ? P::tty
                       : progress == "plain" ? P::plain
                       : progress == "quiet" ? P::quiet
                                             : P::auto_;
    return options;
}

}  // namespace airlock::builder

#pragma once
/// The download flags shared by `fetch`, `build` and `download`, and their FetchOptions.

#include "builder/fetch/fetch.hpp"
#include "core/base/phase_progress.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace airlock::builder {

struct FetchFlags {
    std::string cache_dir;
    std::string cert;
    int jobs = fetch::FetchOptions{}.jobs;
    int max_connections = fetch::FetchOptions{}.max_connections_per_host;
    int retries = net::RetryPolicy{}.retries;
    int stall_timeout = static_cast<int>(net::NetworkOptions{}.stall.count());
    std::string progress = "auto";
    bool quiet = false;

    /// Registers --cache-dir, --cert, --jobs, --max-connections-per-host, --retries,
    /// --stall-timeout, --progress and --quiet on `cmd`, bound to this object.
    void add_to(CLI::App* cmd);
    /// Checks what can be checked before any work (the --cert file); throws Error.
    void check() const;
    fetch::FetchOptions options() const;
    /// --progress and -q for the phases besides the download (resolve, pack).
    ProgressMode progress_mode() const;

    /// The --retries and --stall-timeout values when given on the command line.
    std::optional<int> given_retries() const;
    std::optional<int> given_stall_timeout() const;

  private:
    CLI::Option* retries_option_ = nullptr;
    CLI::Option* stall_option_ = nullptr;
};

}  // namespace airlock::builder

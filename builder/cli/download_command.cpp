#include "builder/cli/app.hpp"

#include "builder/fetch/cache.hpp"
#include "builder/fetch/download_list.hpp"
#include "builder/fetch/fetch.hpp"
#include "core/base/error.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace airlock::builder {
namespace fs = std::filesystem;

namespace {

struct DownloadArgs {
    std::string list;
    std::string output;
    std::string cache_dir;
    std::string cert;
    int jobs = fetch::FetchOptions{}.jobs;
    int max_connections = fetch::FetchOptions{}.max_connections_per_host;
    int retries = fetch::FetchOptions{}.retries;
    int stall_timeout = static_cast<int>(fetch::FetchOptions{}.stall_timeout.count());
    std::string progress = "auto";
    bool quiet = false;
};

void run_download(const DownloadArgs& args) {
    std::ifstream in(args.list, std::ios::binary);
    if (!in) {
        throw Error("cannot read " + quote(args.list))
            .with_hint("LIST is a text file of `URL [MIRROR…] [sha256=HEX] [size=N]` lines");
    }
    std::stringstream text;
    text << in.rdbuf();
    auto items = fetch::parse_download_list(text.str(), args.list);
    std::map<std::string, const fetch::FetchItem*> by_name;
    for (const auto& item : items) {
        auto [it, fresh] = by_name.emplace(item.filename, &item);
        if (!fresh && it->second->sha256 != item.sha256) {
            throw Error("two different files are both named " + quote(item.filename) + " in " +
                        quote(args.list))
                .with_hint("the output directory is flat: give each file a distinct name");
        }
    }
    fetch::FetchOptions options;
    if (!args.cache_dir.empty())
        options.cache_dir = args.cache_dir;
    options.ca_file = args.cert;
    options.jobs = args.jobs;
    options.max_connections_per_host = args.max_connections;
    options.initial_connections_per_host =
        std::min(options.initial_connections_per_host, args.max_connections);
    options.retries = args.retries;
    options.stall_timeout = std::chrono::seconds(args.stall_timeout);
    using P = fetch::FetchOptions::Progress;
    options.progress = args.quiet                 ? P::quiet
                       : args.progress == "tty"   ? P::tty
                       : args.progress == "plain" ? P::plain
                       : args.progress == "quiet" ? P::quiet
                                                  : P::auto_;
    auto fetched = fetch::fetch_all(items, options);
    std::error_code ec;
    fs::create_directories(args.output, ec);
    if (ec)
        throw Error("cannot create " + quote(args.output) + ": " + ec.message());
    for (std::size_t i = 0; i < items.size(); ++i) {
        fetch::place_file(fetched[i].blob, fs::path(args.output) / items[i].filename);
    }
}

}  // namespace

void add_download_command(CLI::App& app) {
    auto args = std::make_shared<DownloadArgs>();
    auto* cmd = app.add_subcommand(
        "download",
        "Download the files listed in LIST into DIR, verified (sha256, size) and through the "
        "cache: many files at once, large files in range segments, resumable.");
    cmd->add_option("LIST", args->list,
                    "text file, one line per file: URL [MIRROR_URL...] [sha256=HEX] [size=N]")
        ->required();
    cmd->add_option("-o,--output", args->output, "directory to write the files into")->required();
    cmd->add_option("-j,--jobs", args->jobs, "files downloaded at once")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--max-connections-per-host", args->max_connections,
                    "ceiling for connections to one server; below it airlock adapts (grows while "
                    "throughput grows, drops on 503/429/refused). Lower it for servers that ban "
                    "aggressive clients")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--cache-dir", args->cache_dir,
                    "cache directory (default: $AIRLOCK_CACHE_DIR, $XDG_CACHE_HOME/airlock, "
                    "~/.cache/airlock)");
    cmd->add_option("--cert", args->cert,
                    "CA bundle for TLS (default: $SSL_CERT_FILE, system store)");
    cmd->add_option("--retries", args->retries, "attempts per segment before a file fails")
        ->check(CLI::Range(0, 100));
    cmd->add_option("--stall-timeout", args->stall_timeout,
                    "seconds below 1 KiB/s before a connection is dropped and retried")
        ->check(CLI::Range(1, 3600));
    cmd->add_option("--progress", args->progress, "auto, tty, plain or quiet")
        ->check(CLI::IsMember({"auto", "tty", "plain", "quiet"}));
    cmd->add_flag("-q,--quiet", args->quiet, "no progress output");
    cmd->callback([args] {
        within("downloading the files in " + quote(args->list), [&] { run_download(*args); });
    });
}

}  // namespace airlock::builder

#pragma once
/// From a manifest to one lock per target: the entry point `lock`, `fetch` and `build` share.

#include "builder/index/channel_client.hpp"
#include "builder/index/index_client.hpp"
#include "builder/lock/lock.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/net/http_client.hpp"
#include "builder/resolve/resolve_progress.hpp"
#include "builder/resolve/resolver.hpp"
#include "core/target/target.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace airlock::resolve {

struct ResolveOptions {
    std::filesystem::path cache_dir;   ///< empty: net::default_cache_dir()
    std::vector<std::string> targets;  ///< names to resolve; empty: every [[target]]
    net::CacheMode cache_mode = net::CacheMode::revalidate;
    std::string explain;          ///< a package to explain (`lock --explain`); empty: none
    net::NetworkOptions network;  ///< `--cert`; credentials (null: the manifest's)
    std::optional<int> retries;   ///< pip's `retries`: attempts per index request
    /// The `resolve` progress line on stderr (resolve_progress.hpp); quiet by default.
    ProgressMode progress = ProgressMode::quiet;
};

struct TargetReport {
    SolveStats stats;
    double seconds = 0;
    /// With ResolveOptions::explain: why each version of that package was or was not chosen
    /// (filled when the resolution fails too).
    std::string explanation;
};

/// The Target of a manifest entry (validated; errors point at the [[target]]).
target::Target make_target(const manifest::TargetSpec& spec, const manifest::Manifest& manifest);

/// Resolves `[python] requirements` for one target. Throws Error explaining any conflict.
/// `explain`: a package name whose versions the report explains (see explain_package.hpp).
lock::TargetLock resolve_target(const manifest::Manifest& manifest, const target::Target& target,
                                index::IndexClient& index, TargetReport* report = nullptr,
                                const std::string& explain = {}, TargetProgress progress = {});

/// Resolves `[conda] specs` for one target over `sources` (ChannelClient::load for its
/// subdir): the records chosen, sorted by name. Throws Error explaining any conflict.
lock::CondaLock resolve_conda(const manifest::CondaSpec& spec, const target::Target& target,
                              const std::vector<index::ChannelSubdir>& sources,
                              TargetReport* report = nullptr);

/// Every selected target, in manifest order; one IndexClient (pages fetched once) and one
/// ChannelClient (repodata fetched once) for all. With [conda] and [python], the pip part is
/// resolved for the conda environment's Python (its exact version).
/// Throws Error naming the target that failed, or an unknown name in options.targets; `reports`
/// is filled before that error is thrown (so explanations survive a failed resolution).
std::vector<lock::TargetLock> resolve_manifest(const manifest::Manifest& manifest,
                                               const ResolveOptions& options,
                                               std::vector<TargetReport>* reports = nullptr);

}  // namespace airlock::resolve

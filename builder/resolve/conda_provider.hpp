#pragma once
/// The conda side of the resolver: candidates from the channels' repodata for the TARGET's
/// subdir and noarch, ordered by channel priority (strict: only the first channel that has the
/// name), then without track_features first, then version, build number and timestamp (newest
/// first); `depends` and `constrains` from the records; virtual packages (`__cuda`, `__glibc`,
/// ...) as the target's fixed, installed candidates — never the host's.

#include "builder/index/channel_client.hpp"
#include "builder/manifest/manifest.hpp"
#include "builder/resolve/provider.hpp"
#include "core/conda/match_spec.hpp"
#include "core/conda/package_record.hpp"
#include "core/target/target.hpp"

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace airlock::resolve {

/// One candidate: the record (fn, url and channel filled in) and where it came from.
struct CondaEntry {
    conda::PackageRecord record;
    const index::ChannelSubdir* source = nullptr;  ///< null for a virtual package
};

class CondaProvider : public Provider {
  public:
    /// `sources`: what ChannelClient::load returned for the target's subdir (priority order).
    CondaProvider(const target::Target& target, std::vector<index::ChannelSubdir> sources,
                  manifest::ChannelPriority priority);
    ~CondaProvider() override;

    /// The requirement for a spec of the manifest (or any MatchSpec text). Throws Error when
    /// the text is not a MatchSpec or names no single package.
    Dependency requirement(const std::string& spec, DependencyKind kind = DependencyKind::depends);
    /// The root requirements: every virtual package of the target (installed, so `constrains`
    /// on them always apply), `python <target python>.*` as a constraint (if the environment
    /// has Python, it is the target's), and `specs`.
    std::vector<Dependency> roots(const manifest::CondaSpec& spec);

    std::vector<Candidate> candidates(const PackageId& package) override;
    std::vector<bool> matches(const PackageId& package, const std::string& constraint) override;
    std::vector<Dependency> dependencies(const PackageId& package, std::size_t index) override;
    std::string describe_missing(const PackageId& package) override;
    std::string hint_missing(const PackageId& package) override;
    std::string describe_fixed(const PackageId& package) override;

    /// Candidate `index` of `package` (as candidates() ordered them).
    const CondaEntry& entry(const PackageId& package, std::size_t index);
    static bool is_virtual(const PackageId& package) { return package.starts_with("__"); }

  private:
    struct Package {
        std::vector<CondaEntry> entries;  ///< most preferred first
        std::vector<Candidate> candidates;
    };
    Package& load(const PackageId& package);

    const target::Target& target_;
    std::vector<index::ChannelSubdir> sources_;
    manifest::ChannelPriority priority_;
    std::map<PackageId, std::unique_ptr<Package>> packages_;
    /// (package, constraint text) → the spec it stands for.
    std::map<std::pair<PackageId, std::string>, std::shared_ptr<const conda::MatchSpec>> specs_;
    /// MatchSpec text of a record → (package, constraint text), parsed once.
    std::unordered_map<std::string, std::pair<PackageId, std::string>> parsed_;
};

}  // namespace airlock::resolve

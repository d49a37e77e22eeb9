#pragma once
/// The PyPI side of the resolver: candidates from simple-repository pages (the right index per
/// package), filtered to wheels the TARGET accepts (tags, requires-python with its upper bounds,
/// yanked, the pre-release policy), preferring `+cuXYZ` builds that match the target's CUDA;
/// dependencies from core metadata with markers evaluated against the target's environment — never
/// the host's. Wheel-only: airlock does not build sdists. Requires-Python of metadata is a
/// dependency on the virtual package `python`.

#include "builder/index/index_client.hpp"
#include "builder/index/project_page.hpp"
#include "builder/resolve/prerelease_policy.hpp"
#include "builder/resolve/provider.hpp"
#include "builder/resolve/resolve_progress.hpp"
#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "core/pep508/requirement.hpp"
#include "core/target/target.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace airlock::resolve {

/// The package id of the target's interpreter (`Requires-Python` becomes a dependency on it).
inline constexpr const char* python_package = "python";

/// Package ids for a PEP 508 requirement: `name` and, per extra, `name[extra]`.
std::vector<Dependency> dependencies_of(const pep508::Requirement& requirement);

class PypiProvider : public Provider {
  public:
    PypiProvider(const target::Target& target, index::IndexClient& index,
                 PrereleasePolicy prereleases = {});

    /// Hash pins (pip's hash-checking mode, manifest [python] hashes): when not empty, only
    /// wheels with one of its package's digests are candidates, and a package without an entry
    /// has none.
    void set_hash_pins(std::map<std::string, std::vector<std::string>> pins) {
        hash_pins_ = std::move(pins);
    }

    /// Where the pages and metadata it reads are counted (the `resolve` progress line).
    void set_progress(TargetProgress progress) { progress_ = progress; }

    std::vector<Candidate> candidates(const PackageId& package) override;
    std::vector<bool> matches(const PackageId& package, const std::string& constraint) override;
    bool pins_exactly(const std::string& constraint) override;
    std::vector<Dependency> dependencies(const PackageId& package, std::size_t index) override;
    void prefetch(const std::vector<PackageId>& packages) override;
    std::string display(const PackageId& package) override;
    std::string describe_missing(const PackageId& package) override;
    std::string hint_missing(const PackageId& package) override;

    /// The wheel chosen for candidate `index` of `package` (nullptr for `python`), and the page
    /// it is listed on.
    const index::DistFile* wheel(const PackageId& package, std::size_t index);
    const index::ProjectPage* page(const PackageId& package);
    /// The normalised PEP 440 version of a candidate.
    std::string version(const PackageId& package, std::size_t index);

  private:
    struct Choice {
        pep440::Version version;
        std::string text;
        std::string raw;                         ///< as published (first file), for `===`
        const index::DistFile* wheel = nullptr;  ///< best for the target; null when unavailable
        Availability availability = Availability::ok;
        std::string reason;
        std::string hint;
    };
    struct Project {
        const index::ProjectPage* page = nullptr;
        std::vector<Choice> choices;  ///< most preferred first
        std::vector<pep440::Version> versions;
        std::vector<std::string> raw;
        std::vector<Candidate> candidates;
    };

    Project& project(const std::string& name);
    Project build(const std::string& name);
    const pep440::SpecifierSet& specifier(const std::string& text);
    /// Why no wheel of a version fits the target; `hint` gets what to do when that is known.
    std::string unavailable_reason(const std::string& name,
                                   const std::vector<const index::DistFile*>& files, bool any_sdist,
                                   std::string& hint);

    target::Target target_;
    PrereleasePolicy prereleases_;
    pep508::Environment environment_;
    pep440::Version python_version_;
    index::IndexClient& index_;
    std::map<std::string, Project> projects_;
    std::map<std::string, pep440::SpecifierSet> specifiers_;
    std::map<std::pair<std::string, std::size_t>, std::vector<Dependency>> dependencies_;
    std::set<std::string> prefetched_;
    std::map<std::string, std::vector<std::string>> hash_pins_;
    TargetProgress progress_;
};

}  // namespace airlock::resolve

#pragma once
/// Conda MatchSpecs, the query language of `conda install` and of records' `depends` and
/// `constrains` (conda/models/match_spec.py;
/// https://docs.conda.io/projects/conda/en/latest/user-guide/concepts/pkg-specs.html#package-match-specifications):
///
///     numpy                          any numpy
///     numpy 1.26.4                   exactly 1.26.4          (`name version` is exact)
///     numpy=1.26                     1.26.*                  (`name=version` is a prefix)
///     numpy==1.26                    exactly 1.26
///     numpy>=1.26,<2                 a version spec (see version_spec.hpp)
///     pytorch=2.3.1=py3.12_cuda*     version 2.3.1 exactly, build matching the glob
///     pytorch 2.3.1 py3.12*          the same, space-separated
///     python >=3.8 *_cpython         a version spec and a build glob
///     conda-forge::numpy             from that channel
///     conda-forge/linux-64::numpy    from that channel's subdir
///     numpy[version='>=1.26',build='*openblas*',build_number='>=2']
///
/// Inside `[...]`, keys are version, build (or build_string), build_number, channel, subdir,
/// md5, sha256, fn, url, license, license_family, track_features, features; values may be
/// quoted with ' or "; a bracket value overrides the same field outside. `# comments` are
/// dropped. Regular expressions, URLs/paths of package files and `(optional)` are refused.

#include "core/conda/build_number_spec.hpp"
#include "core/conda/package_name.hpp"
#include "core/conda/package_record.hpp"
#include "core/conda/string_matcher.hpp"
#include "core/conda/version_spec.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

class MatchSpec {
  public:
    /// Throws airlock::Error: "invalid match spec `…`: <why>" with the input and a caret.
    static MatchSpec parse(std::string_view text);
    static std::optional<MatchSpec> try_parse(std::string_view text);

    /// The package name when it is exact (not `*` nor a glob such as `py*`).
    const std::optional<PackageName>& name() const { return name_; }
    /// The name pattern, lower case (`numpy`, `*`, `lib*`).
    const StringMatcher& name_matcher() const { return name_matcher_; }
    /// nullopt: any version.
    const std::optional<VersionSpec>& version() const { return version_; }
    /// nullopt: any build.
    const std::optional<StringMatcher>& build() const { return build_; }
    const std::optional<BuildNumberSpec>& build_number() const { return build_number_; }
    /// The channel as written (`conda-forge`, `https://host/channel`), empty for any.
    const std::string& channel() const { return channel_; }
    /// The subdir (`linux-64`), empty for any.
    const std::string& subdir() const { return subdir_; }
    const std::string& md5() const { return md5_; }
    const std::string& sha256() const { return sha256_; }

    /// Whether `record` satisfies every field of the spec. A channel matches a record whose
    /// `channel` is the same text, or a URL whose last path segments are that channel.
    bool matches(const PackageRecord& record) const;

    /// conda's canonical form: `numpy==1.26.4=py312h_0`, `numpy=1.26`,
    /// `conda-forge/linux-64::numpy[version='>=1.26']`, `numpy[version='>=1.26,<2']`.
    std::string to_string() const;
    /// The text this spec was parsed from.
    const std::string& source() const { return source_; }

  private:
    friend struct MatchSpecParser;

    std::string source_;
    std::optional<PackageName> name_;
    StringMatcher name_matcher_;
    std::optional<VersionSpec> version_;
    std::optional<StringMatcher> build_;
    std::optional<BuildNumberSpec> build_number_;
    std::string channel_;
    std::string subdir_;
    std::string md5_;
    std::string sha256_;
    std::string fn_;
    std::string url_;
    std::optional<StringMatcher> license_;  ///< compared in lower case
    std::optional<StringMatcher> license_family_;
    std::optional<std::vector<std::string>> track_features_;  ///< sorted; compared as sets
    std::optional<std::vector<std::string>> features_;
};

}  // namespace airlock::conda

#pragma once
/// `[python] prereleases`: when a pre-release may be chosen, with uv's `--prerelease` modes
/// (https://docs.astral.sh/uv/concepts/resolution/#pre-release-handling).

#include <cstdint>
#include <optional>
#include <string_view>

namespace airlock::manifest {

enum class PrereleaseMode : std::uint8_t {
    disallow,                  ///< never
    allow,                     ///< always, like any other version (newest first)
    if_necessary,              ///< for a package whose published versions are all pre-releases
    explicit_only,             ///< for a package that a manifest requirement names one of
    if_necessary_or_explicit,  ///< either of the two (uv's default, and airlock's)
};

/// The manifest spelling: "disallow", "allow", "if-necessary", "explicit",
/// "if-necessary-or-explicit".
std::string_view to_string(PrereleaseMode mode);

/// The mode a spelling names; nullopt for anything else.
std::optional<PrereleaseMode> parse_prerelease_mode(std::string_view text);

}  // namespace airlock::manifest

#include "builder/manifest/prerelease_mode.hpp"

namespace airlock::manifest {
namespace {

constexpr struct {
    std::string_view spelling;
    PrereleaseMode mode;
} modes[] = {
    {"disallow", PrereleaseMode::disallow},
    {"allow", PrereleaseMode::allow},
    {"if-necessary", PrereleaseMode::if_necessary},
    {"explicit", PrereleaseMode::explicit_only},
    {"if-necessary-or-explicit", PrereleaseMode::if_necessary_or_explicit},
};

}  // namespace

std::string_view to_string(PrereleaseMode mode) {
    for (const auto& m : modes) {
        if (m.mode == mode)
            return m.spelling;
    }
    return "?";
}

std::optional<PrereleaseMode> parse_prerelease_mode(std::string_view text) {
    for (const auto& m : modes) {
        if (m.spelling == text)
            return m.mode;
    }
    return std::nullopt;
}

}  // namespace airlock::manifest

/// PEP 440 versions and specifiers (core/pep440). The first line of the input is parsed as a
/// version, a specifier clause and a specifier set; the rest as a specifier set the version is
/// checked against. Properties: a parsed value's normal form parses again to an equal value with
/// the same normal form; equal versions hash alike; try_parse agrees with parse.

#include "core/pep440/specifier.hpp"
#include "core/pep440/version.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

std::optional<pep440::Version> version_property(std::string_view text) {
    std::optional<pep440::Version> version;
    bool ok = accepted([&] { version = pep440::Version::parse(text); });
    check(ok == pep440::Version::try_parse(text).has_value(), "Version: try_parse disagrees", text);
    if (!version)
        return std::nullopt;
    auto normal = version->to_string();
    std::optional<pep440::Version> again;
    must_accept([&] { again = pep440::Version::parse(normal); },
                "Version: the normal form does not parse", normal);
    check(*again == *version, "Version: the normal form parses to another version", normal);
    check(again->to_string() == normal, "Version: the normal form is not stable", normal);
    check(again->hash() == version->hash(), "Version: equal versions hash differently", normal);
    check((*version <=> *version) == 0, "Version: not equal to itself", normal);
    check(version->public_version().compare_public(*version) == 0,
          "Version: compare_public differs from public_version()", normal);
    check(!version->base_version().is_prerelease() && !version->base_version().has_local(),
          "Version: base_version() keeps a pre, dev or local part", normal);
    return version;
}

void specifier_property(std::string_view text, const std::optional<pep440::Version>& version) {
    std::optional<pep440::Specifier> spec;
    if (!accepted([&] { spec = pep440::Specifier::parse(text); }))
        return;
    auto normal = spec->to_string();
    std::optional<pep440::Specifier> again;
    must_accept([&] { again = pep440::Specifier::parse(normal); },
                "Specifier: the normal form does not parse", normal);
    check(*again == *spec, "Specifier: the normal form parses to another clause", normal);
    check(again->to_string() == normal, "Specifier: the normal form is not stable", normal);
    if (version) {
        for (auto mode : {pep440::Prereleases::by_spec, pep440::Prereleases::allow,
                          pep440::Prereleases::deny}) {
            bool a = false, b = false;
            check(accepted([&] { a = spec->contains(*version, mode); }) ==
                      accepted([&] { b = again->contains(*version, mode); }),
                  "Specifier: contains() throws for one spelling only", normal);
            check(a == b, "Specifier: equal clauses disagree on a version", normal);
        }
    }
}

void set_property(std::string_view text, const std::optional<pep440::Version>& version) {
    std::optional<pep440::SpecifierSet> set;
    if (!accepted([&] { set = pep440::SpecifierSet::parse(text); }))
        return;
    auto normal = set->to_string();
    std::optional<pep440::SpecifierSet> again;
    must_accept([&] { again = pep440::SpecifierSet::parse(normal); },
                "SpecifierSet: the normal form does not parse", normal);
    check(*again == *set, "SpecifierSet: the normal form parses to another set", normal);
    check(again->to_string() == normal, "SpecifierSet: the normal form is not stable", normal);
    auto both = set->intersect(*again);
    check(both == *set, "SpecifierSet: intersecting a set with itself changes it", normal);
    if (version) {
        bool a = false, b = false;
        check(accepted([&] { a = set->contains(*version); }) ==
                  accepted([&] { b = again->contains(*version); }),
              "SpecifierSet: contains() throws for one spelling only", normal);
        check(a == b, "SpecifierSet: equal sets disagree on a version", normal);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    auto [first, rest] = fuzz::split_first_line(text);
    auto version = version_property(first);
    specifier_property(first, version);
    set_property(first, version);
    if (!rest.empty())
        set_property(rest, version);
    return 0;
}

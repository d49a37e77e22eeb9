/// The airlock manifest (builder/manifest): TOML, then every table and value checked, requirement
/// and MatchSpec strings included. `${VAR}` expands from a fixed fake environment; the manifest
/// "lives" in a folder that does not exist, so relative find_links folders are refused without
/// reading the disk. Property: only airlock::Error escapes; an accepted manifest's parts are
/// consistent (one location per requirement, spec and constraint).

#include "builder/manifest/manifest.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;

namespace {

std::optional<std::string> fake_env(std::string_view name) {
    if (name == "TOKEN")
        return "s3cr3t";
    if (name == "HOST")
        return "pypi.example.org";
    if (name == "EMPTY")
        return "";
    return std::nullopt;
}

void manifest_property(std::string_view text, manifest::Packages packages) {
    std::optional<manifest::Manifest> m;
    if (!accepted([&] {
            m = manifest::parse_manifest(text, "/nonexistent-airlock-fuzz/airlock.toml", fake_env,
                                         packages);
        }))
        return;
    check(m->python.where.size() == m->python.requirements.size(),
          "Manifest: requirements and their locations differ in number");
    check(m->python.constraint_where.size() == m->python.constraints.size(),
          "Manifest: constraints and their locations differ in number");
    if (m->conda) {
        check(m->conda->where.size() == m->conda->specs.size(),
              "Manifest: conda specs and their locations differ in number");
    }
    check(packages == manifest::Packages::optional || !m->python.requirements.empty() ||
              m->conda.has_value(),
          "Manifest: accepted with nothing to bundle");
    for (const auto& index : m->indexes) {
        check(index.url.find('@') == std::string::npos ||
                  index.url.find("://") == std::string::npos ||
                  index.url.find('@') > index.url.find('/', index.url.find("://") + 3),
              "Manifest: an index URL still carries user:password@", index.url);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    manifest_property(text, manifest::Packages::required);
    manifest_property(text, manifest::Packages::optional);
    return 0;
}

/// conda MatchSpecs and what they are made of (core/conda): versions, version specs, package
/// file names. The first line of the input is parsed as each; a MatchSpec is matched against
/// fixed records. Properties: conda's canonical form parses again to a spec with the same
/// canonical form that matches the same records; a version's text parses to an equal version; a
/// version spec's text parses to the same spec; a file name prints as itself.

#include "core/conda/match_spec.hpp"
#include "core/conda/package_filename.hpp"
#include "core/conda/version.hpp"
#include "core/conda/version_spec.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>
#include <vector>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

const std::vector<conda::PackageRecord>& records() {
    static const std::vector<conda::PackageRecord> all = [] {
        auto pytorch = conda::PackageRecord::from_json(
            R"({"name":"pytorch","version":"2.3.1","build":"py3.12_cuda12.1_cudnn8.9.2_0",
                "build_number":0,"subdir":"linux-64","depends":["python >=3.12,<3.13.0a0"],
                "track_features":"","md5":"0123456789abcdef0123456789abcdef",
                "license":"BSD-3-Clause","license_family":"BSD"})",
            "pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0.tar.bz2");
        pytorch.channel = "https://conda.anaconda.org/pytorch";
        auto numpy = conda::PackageRecord::from_json(
            R"({"name":"numpy","version":"1.26.4","build":"py312heda63a1_0","build_number":0,
                "subdir":"linux-64","depends":["libblas >=3.9.0,<4.0a0","python_abi 3.12.* *_cp312"],
                "sha256":"031c1dfe3ceb1b4d9b2e2b1d6d1c33e7f8a3f2c2b9bd0a9b77b2c5f7e3e0e0a1",
                "track_features":"feat1 feat2","features":"blas_openblas"})",
            "numpy-1.26.4-py312heda63a1_0.conda");
        numpy.channel = "conda-forge";
        auto python = conda::PackageRecord::from_json(
            R"({"name":"python","version":"3.12.4","build":"h194c7f8_0_cpython",
                "build_number":0,"subdir":"linux-64","depends":[]})",
            "python-3.12.4-h194c7f8_0_cpython.conda");
        return std::vector<conda::PackageRecord>{pytorch, numpy, python};
    }();
    return all;
}

void match_spec_property(std::string_view text) {
    std::optional<conda::MatchSpec> spec;
    bool ok = accepted([&] { spec = conda::MatchSpec::parse(text); });
    check(ok == conda::MatchSpec::try_parse(text).has_value(), "MatchSpec: try_parse disagrees",
          text);
    if (!spec)
        return;
    auto canonical = spec->to_string();
    std::optional<conda::MatchSpec> again;
    must_accept([&] { again = conda::MatchSpec::parse(canonical); },
                "MatchSpec: the canonical form does not parse", canonical);
    check(again->to_string() == canonical, "MatchSpec: the canonical form is not stable",
          canonical);
    for (const auto& record : records()) {
        check(spec->matches(record) == again->matches(record),
              "MatchSpec: the canonical form matches differently", canonical);
    }
}

void version_property(std::string_view text) {
    std::optional<conda::Version> version;
    if (!accepted([&] { version = conda::Version::parse(text); }))
        return;
    std::optional<conda::Version> again;
    must_accept([&] { again = conda::Version::parse(version->source()); },
                "Version: its text does not parse", version->source());
    check(*again == *version && again->hash() == version->hash(),
          "Version: its text parses to another version", version->source());
    check(version->starts_with(*version), "Version: does not start with itself", version->source());
    std::optional<conda::Version> normalized;
    if (accepted([&] { normalized = conda::Version::parse(version->normalized()); }))
        check(*normalized == *version, "Version: its normal form is another version",
              version->normalized());
}

void version_spec_property(std::string_view text, const std::optional<conda::Version>& version) {
    std::optional<conda::VersionSpec> spec;
    if (!accepted([&] { spec = conda::VersionSpec::parse(text); }))
        return;
    auto printed = spec->to_string();
    std::optional<conda::VersionSpec> again;
    must_accept([&] { again = conda::VersionSpec::parse(printed); },
                "VersionSpec: its text does not parse", printed);
    check(again->to_string() == printed, "VersionSpec: its text is not stable", printed);
    if (version)
        check(spec->matches(*version) == again->matches(*version),
              "VersionSpec: its text matches differently", printed);
    if (auto exact = spec->exact())
        check(spec->matches(*exact), "VersionSpec: does not match its exact version", printed);
}

void filename_property(std::string_view text) {
    auto name = conda::PackageFilename::try_parse(text);
    if (!name)
        return;
    auto printed = name->to_string();
    auto again = conda::PackageFilename::try_parse(printed);
    check(again && again->to_string() == printed, "PackageFilename: does not print as itself",
          printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda.
    const auto lines = fuzz::split_first_line(fuzz::as_text(data, size));
    const std::string_view first = lines.first, rest = lines.second;
    match_spec_property(first);
    version_property(first);
    std::optional<conda::Version> version;
    accepted([&] { version = conda::Version::parse(rest); });
    version_spec_property(first, version);
    filename_property(first);
    return 0;
}

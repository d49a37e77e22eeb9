#include "core/conda/match_spec.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

using airlock::conda::MatchSpec;
using airlock::conda::PackageRecord;

namespace {

PackageRecord record(const char* json, const char* fn = "") {
    return PackageRecord::from_json(json, fn);
}

const PackageRecord& pytorch() {
    static const PackageRecord r = [] {
        auto r =
            record(R"({"name":"pytorch","version":"2.3.1","build":"py3.12_cuda12.1_cudnn8.9.2_0",
            "build_number":0,"subdir":"linux-64","depends":["python >=3.12,<3.13.0a0"],
            "track_features":"","md5":"0123456789abcdef0123456789ABCDEF"})",
                   "pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0.tar.bz2");
        r.channel = "https://conda.anaconda.org/pytorch";
        return r;
    }();
    return r;
}

struct Row {
    const char* spec;
    bool matches;
};

TEST(CondaMatchSpec, MatchesRecord) {
    const Row rows[] = {
        {"pytorch", true},
        {"PyTorch", true},
        {"pytorch 2.3.1", true},
        {"pytorch 2.3", false},  // `name version` is exact
        {"pytorch=2.3", true},   // `name=version` is a prefix
        {"pytorch=2.3.1", true},
        {"pytorch=2.4", false},
        {"pytorch==2.3", false},
        {"pytorch==2.3.1", true},
        {"pytorch>=2.3,<2.4", true},
        {"pytorch >=2.3,<2.4", true},
        {"pytorch >=2.4|<2.0", false},
        {"pytorch=2.3.1=py3.12_cuda12.1*", true},
        {"pytorch=2.3.1=py3.12_cuda11.8*", false},
        {"pytorch 2.3.1 py3.12_cuda*", true},
        {"pytorch 2.3.* *cuda12.1*", true},
        {"pytorch=2.3.1=py3.12_cuda12.1_cudnn8.9.2_0", true},
        {"pytorch[version='>=2',build='*cuda*',build_number=0]", true},
        {"pytorch[version='>=2',build='*cpu*']", false},
        {"pytorch[build_number='>=1']", false},
        {"pytorch[build_number='<1']", true},
        {"pytorch::pytorch", true},
        {"pytorch/linux-64::pytorch", true},
        {"pytorch/win-64::pytorch", false},
        {"conda-forge::pytorch", false},
        {"https://conda.anaconda.org/pytorch::pytorch", true},
        {"*/linux-64::pytorch", true},
        {"pytorch[subdir=linux-64]", true},
        {"pytorch[md5=0123456789abcdef0123456789abcdef]", true},
        {"pytorch[md5=00000000000000000000000000000000]", false},
        {"py*", true},
        {"*", true},
        {"torch", false},
        {"pytorch  # a comment", true},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.spec);
        EXPECT_EQ(MatchSpec::parse(row.spec).matches(pytorch()), row.matches);
    }
}

TEST(CondaMatchSpec, Fields) {
    auto s = MatchSpec::parse("conda-forge/linux-64::numpy>=1.26,<2");
    EXPECT_EQ(s.name()->normalized(), "numpy");
    EXPECT_EQ(s.channel(), "conda-forge");
    EXPECT_EQ(s.subdir(), "linux-64");
    EXPECT_EQ(s.version()->to_string(), ">=1.26,<2");
    EXPECT_FALSE(s.build().has_value());

    auto g = MatchSpec::parse("python >=3.8 *_cpython");
    EXPECT_EQ(g.version()->to_string(), ">=3.8");
    EXPECT_EQ(g.build()->pattern(), "*_cpython");

    auto pkgs = MatchSpec::parse("pkgs/main::numpy");
    EXPECT_EQ(pkgs.channel(), "pkgs/main");
    EXPECT_EQ(pkgs.subdir(), "");

    EXPECT_FALSE(MatchSpec::parse("lib*").name().has_value());
    EXPECT_EQ(MatchSpec::parse("numpy").version(), std::nullopt);
    EXPECT_EQ(MatchSpec::parse(" numpy ").source(), " numpy ");
}

TEST(CondaMatchSpec, DisplayAsConda) {
    const std::pair<const char*, const char*> rows[] = {
        {"foo 1.0 py27_0", "foo==1.0=py27_0"},
        {"foo=1.0=py27_0", "foo==1.0=py27_0"},
        {"conda-forge::foo[version=1.0.*]", "conda-forge::foo=1.0"},
        {"conda-forge/linux-64::foo>=1.0", "conda-forge/linux-64::foo[version='>=1.0']"},
        {"*/linux-64::foo>=1.0", "foo[subdir=linux-64,version='>=1.0']"},
        {"numpy", "numpy"},
        {"numpy=1.26", "numpy=1.26"},
        {"numpy 1.26.4", "numpy==1.26.4"},
        {"numpy==1.26.4", "numpy==1.26.4"},
        {"numpy !=1.26", "numpy!=1.26"},
        {"numpy >=1.26,<2", "numpy[version='>=1.26,<2']"},
        {"pytorch=2.3.1=*cuda*", "pytorch==2.3.1[build=*cuda*]"},
        {"foo[build_number='>=5']", "foo[build_number='>=5']"},
        {"foo[build_number=5]", "foo[build_number=5]"},
        {"pytorch-cuda=12.1", "pytorch-cuda=12.1"},
        // A value holding `'` is written in double quotes (found by fuzz_match_spec).
        {"numpy[md5=ab'c=d]", "numpy[md5=\"ab'c=d\"]"},
        {"numpy[md5=\"a'b\"]", "numpy[md5=a'b]"},
        {"numpy[md5='a\"b c']", "numpy[md5='a\"b c']"},
        {"5.0build=10..*", "5.0build[version='10..*']"},
        {"numpy==*=p*16", "numpy[version='==*',build=p*16]"},
        // The version specs `=1` and `=p*.*` (from `p**`) keep their `=` in brackets: `===1`
        // and `=p*` would not read back.
        {"numpy[version==1]", "numpy[version='=1']"},
        {"numpy p**", "numpy[version='=p*.*']"},
        {"numpy=p**", "numpy[version='=p*.*']"},
    };
    for (const auto& [in, out] : rows) {
        SCOPED_TRACE(in);
        EXPECT_EQ(MatchSpec::parse(in).to_string(), out);
    }
}

TEST(CondaMatchSpec, BracketsOverride) {
    auto s = MatchSpec::parse("numpy=1.26[version='>=2']");
    EXPECT_EQ(s.version()->to_string(), ">=2");
    auto b = MatchSpec::parse("numpy[build_string=py312*]");
    EXPECT_EQ(b.build()->pattern(), "py312*");
}

TEST(CondaMatchSpec, RefusesInvalid) {
    for (const char* bad :
         {"", "  ", ">=1.2", "numpy[version=>=1", "numpy]", "numpy[foo=1]", "numpy[version=]",
          "numpy >=1.2 py 0", "numpy=1..2", "nu/mpy", "../x", "numpy(optional)", "numpy:1.2",
          "numpy-1.2-0.tar.bz2", "numpy[version='1'] x", "numpy 1.2 py$", "feature@",
          "numpy >=1.2\x1b[0m"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(MatchSpec::parse(bad), airlock::Error);
    }
}

TEST(CondaMatchSpec, ErrorQuotesInputWithCaret) {
    try {
        MatchSpec::parse("numpy[version='>=1',color=red]");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid match spec `numpy[version='>=1',color=red]`: cannot match on field "
                  "`color`\n"
                  "  numpy[version='>=1',color=red]\n"
                  "                      ~~~~^");
    }
    try {
        MatchSpec::parse("numpy >=1..2");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid match spec `numpy >=1..2`: invalid version spec: empty version "
                  "component (two separators in a row, or one at an end)\n"
                  "  numpy >=1..2\n"
                  "        ~~~~~^");
    }
}

}  // namespace

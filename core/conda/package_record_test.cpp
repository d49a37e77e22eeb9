#include "core/conda/package_record.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using airlock::conda::NoArch;
using airlock::conda::PackageFormat;
using airlock::conda::PackageRecord;

namespace {

const char* kEntry = R"({
  "build": "py312h8753938_0",
  "build_number": 0,
  "constrains": ["numpy-base <0a0"],
  "depends": ["libblas >=3.9.0,<4.0a0", "python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312"],
  "license": "BSD-3-Clause",
  "license_family": "BSD",
  "md5": "8E4A2E9AAC9C1B0A7B1F0E9A2C1D3E4F",
  "name": "numpy",
  "sha256": "6b7a2e0d4fa1d5a7c3b8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e",
  "size": 7484186,
  "subdir": "linux-64",
  "timestamp": 1707225421,
  "track_features": "",
  "version": "1.26.4",
  "purls": ["pkg:pypi/numpy"]
})";

TEST(CondaPackageRecord, ParsesRepodataEntry) {
    auto r = PackageRecord::from_json(kEntry, "numpy-1.26.4-py312h8753938_0.conda");
    EXPECT_EQ(r.name.normalized(), "numpy");
    EXPECT_EQ(r.version.source(), "1.26.4");
    EXPECT_EQ(r.build, "py312h8753938_0");
    EXPECT_EQ(r.build_number, 0u);
    EXPECT_EQ(r.depends.size(), 3u);
    EXPECT_EQ(r.constrains, std::vector<std::string>{"numpy-base <0a0"});
    EXPECT_TRUE(r.track_features.empty());
    EXPECT_EQ(r.md5, "8e4a2e9aac9c1b0a7b1f0e9a2c1d3e4f");
    EXPECT_EQ(r.timestamp, 1707225421000u);  // seconds scaled to milliseconds
    EXPECT_EQ(r.size, 7484186u);
    EXPECT_EQ(r.fn, "numpy-1.26.4-py312h8753938_0.conda");
    EXPECT_EQ(r.format(), PackageFormat::conda);
    EXPECT_EQ(r.noarch, NoArch::none);
    EXPECT_EQ(r.display(), "numpy 1.26.4 py312h8753938_0");
}

TEST(CondaPackageRecord, RoundTripsThroughJson) {
    auto r = PackageRecord::from_json(kEntry, "numpy-1.26.4-py312h8753938_0.conda");
    std::string json = r.to_json();
    EXPECT_EQ(
        json,
        R"({"build":"py312h8753938_0","build_number":0,"constrains":["numpy-base <0a0"],)"
        R"("depends":["libblas >=3.9.0,<4.0a0","python >=3.12,<3.13.0a0","python_abi 3.12.* *_cp312"],)"
        R"("license":"BSD-3-Clause","license_family":"BSD","md5":"8e4a2e9aac9c1b0a7b1f0e9a2c1d3e4f",)"
        R"("name":"numpy","sha256":"6b7a2e0d4fa1d5a7c3b8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e",)"
        R"("size":7484186,"subdir":"linux-64","timestamp":1707225421000,"version":"1.26.4"})");
    auto again = PackageRecord::from_json(json, "numpy-1.26.4-py312h8753938_0.conda");
    EXPECT_EQ(again.to_json(), json);
}

// conda's rule reads a timestamp up to 253402300799 as seconds, above it as milliseconds; the
// milliseconds of a time before 1978-01-12 fall below it, so to_json writes those in seconds
// (fuzz_repodata: 17072254 s was written as 17072254000 and read back 1000 times later).
TEST(CondaPackageRecord, TimestampReadsBackAsTheSameTime) {
    const struct {
        std::uint64_t input;
        std::uint64_t milliseconds;
    } rows[] = {
        {1, 1000},
        {17072254, 17072254000},
        {253402300, 253402300000},
        {253402301, 253402301000},
        {253402300799, 253402300799000},
        {253402300800, 253402300800},
        {1707225421000, 1707225421000},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.input);
        auto r = PackageRecord::from_json(R"({"name":"x","version":"1","build":"0","timestamp":)" +
                                          std::to_string(row.input) + "}");
        EXPECT_EQ(r.timestamp, row.milliseconds);
        auto json = r.to_json();
        auto again = PackageRecord::from_json(json);
        EXPECT_EQ(again.timestamp, row.milliseconds);
        EXPECT_EQ(again.to_json(), json);
    }
}

TEST(CondaPackageRecord, IndexJsonForms) {
    auto r = PackageRecord::from_json(
        R"({"name":"cpuonly","version":"2.0","build":"0","build_number":0,"noarch":"generic",
            "track_features":"cpuonly pytorch-cpu","depends":["pytorch-mutex 1.0 cpu"],
            "license":null,"timestamp":1707225421000})");
    EXPECT_EQ(r.noarch, NoArch::generic);
    EXPECT_EQ(r.track_features, (std::vector<std::string>{"cpuonly", "pytorch-cpu"}));
    EXPECT_EQ(r.timestamp, 1707225421000u);
    EXPECT_EQ(r.fn, "");
    auto legacy = PackageRecord::from_json(
        R"({"name":"x","version":1.0,"build":"py_0","noarch":true,"track_features":["a b","c"]})");
    EXPECT_EQ(legacy.version.source(), "1.0");
    EXPECT_EQ(legacy.noarch, NoArch::generic);
    EXPECT_EQ(legacy.track_features, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CondaPackageRecord, RefusesUntrustedValues) {
    const std::pair<const char*, const char*> bad[] = {
        {R"({"name":"../x","version":"1","build":"0"})", ""},
        {R"({"name":"x","version":"1/2","build":"0"})", ""},
        {R"({"name":"x","version":"1","build":"0/../../etc"})", ""},
        {R"({"name":"x","version":"1","build":"0","subdir":"../linux-64"})", ""},
        {R"({"name":"x","version":"1","build":"0","sha256":"zz"})", ""},
        {R"({"name":"x","version":"1","build":"0","md5":"abc"})", ""},
        {R"({"name":"x","version":"1","build":"0","depends":"y"})", ""},
        {R"({"name":"x","version":"1","build":"0","build_number":-1})", ""},
        {R"({"version":"1","build":"0"})", ""},
        {R"({"name":"x","build":"0"})", ""},
        {R"({"name":"x","version":"1"})", ""},
        {R"(["x"])", ""},
        {R"({"name":"x",)", ""},
        {R"({"name":"x","version":"1","build":"0"})", "y-1-0.conda"},
        {R"({"name":"x","version":"1","build":"0"})", "x-1-0.zip"},
        {R"({"name":"x","version":"1","build":"0"})", "../x-1-0.conda"},
    };
    for (const auto& [json, fn] : bad) {
        SCOPED_TRACE(std::string(json) + " " + fn);
        EXPECT_THROW(PackageRecord::from_json(json, fn), airlock::Error);
    }
}

TEST(CondaPackageRecord, ErrorNamesTheRecord) {
    try {
        PackageRecord::from_json(R"({"name":"x","version":"1","build":"0","md5":"abc"})",
                                 "x-1-0.conda");
        FAIL();
    } catch (const airlock::Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid package record `x-1-0.conda`: `md5` is not 32 hexadecimal digits");
    }
}

}  // namespace

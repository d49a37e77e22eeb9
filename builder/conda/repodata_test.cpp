#include "builder/conda/repodata.hpp"

#include "core/archive/zstd_stream.hpp"
#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>

using airlock::conda::Repodata;

namespace {

const char* kRepodata = R"({
 "info": {"subdir": "linux-64", "base_url": "https://example.org/pytorch/linux-64"},
 "packages": {
  "pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0.tar.bz2": {"build": "py3.12_cuda12.1_cudnn8.9.2_0", "build_number": 0, "depends": ["pytorch-cuda >=12.1,<12.2", "pytorch-mutex 1.0 cuda"], "md5": "0123456789abcdef0123456789abcdef", "name": "pytorch", "size": 10, "subdir": "linux-64", "version": "2.3.1"},
  "pytorch-2.3.1-py3.12_cpu_0.tar.bz2": {"build": "py3.12_cpu_0", "build_number": 0, "depends": ["cpuonly"], "name": "pytorch", "subdir": "linux-64", "version": "2.3.1"},
  "pytorch-2.3.0-py3.12_cpu_0.tar.bz2": {"build": "py3.12_cpu_0", "build_number": 0, "depends": [], "name": "pytorch", "subdir": "linux-64", "version": "2.3.0"},
  "bad-1-0.tar.bz2": {"build": "0", "name": "bad", "version": "1", "md5": "nothex"},
  "liar-1-0.tar.bz2": {"build": "0", "name": "other", "version": "1"},
  "not a file name": {"build": "0", "name": "x", "version": "1"},
  "esc\u0061pe-1-0.tar.bz2": {"build": "0", "name": "escape", "version": "1"}
 },
 "packages.conda": {
  "pytorch-2.3.1-py3.12_cpu_0.conda": {"build": "py3.12_cpu_0", "build_number": 0, "depends": ["cpuonly", "python >=3.12,<3.13.0a0"], "name": "pytorch", "subdir": "linux-64", "version": "2.3.1"},
  "PyYAML-6.0-py312_0.conda": {"build": "py312_0", "name": "PyYAML", "version": "6.0"}
 },
 "removed": ["old-1-0.tar.bz2"],
 "repodata_version": 1
})";

TEST(CondaRepodata, IndexesByNameAndParsesLazily) {
    auto repodata = Repodata::parse(kRepodata, "test");
    EXPECT_EQ(repodata.subdir(), "linux-64");
    EXPECT_EQ(repodata.base_url(), "https://example.org/pytorch/linux-64");
    EXPECT_EQ(repodata.entry_count(), 9u);
    EXPECT_EQ(repodata.skipped_count(), 2u);  // "not a file name" and the escaped key
    EXPECT_EQ(repodata.names(), (std::vector<std::string>{"bad", "liar", "pytorch", "pyyaml"}));
    EXPECT_TRUE(repodata.contains("PyTorch"));
    EXPECT_FALSE(repodata.contains("torch"));

    auto records = repodata.records("pytorch");
    ASSERT_EQ(records.size(), 3u);  // the .tar.bz2 twin of the cpu build is dropped
    std::vector<std::string> fns;
    for (const auto& r : records)
        fns.push_back(r.fn);
    EXPECT_EQ(fns, (std::vector<std::string>{"pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0.tar.bz2",
                                             "pytorch-2.3.0-py3.12_cpu_0.tar.bz2",
                                             "pytorch-2.3.1-py3.12_cpu_0.conda"}));
    EXPECT_EQ(records[2].depends.size(), 2u);
    EXPECT_EQ(repodata.records("PYYAML").at(0).name.source(), "PyYAML");
    EXPECT_TRUE(repodata.records("nothing").empty());
}

TEST(CondaRepodata, BadRecordsAreRejectedWithReasons) {
    auto repodata = Repodata::parse(kRepodata, "test");
    std::vector<std::string> rejected;
    EXPECT_TRUE(repodata.records("bad", &rejected).empty());
    EXPECT_TRUE(repodata.records("liar", &rejected).empty());
    ASSERT_EQ(rejected.size(), 2u);
    EXPECT_EQ(rejected[0],
              "invalid package record `bad-1-0.tar.bz2`: `md5` is not 32 hexadecimal digits");
    EXPECT_NE(rejected[1].find("does not match"), std::string::npos) << rejected[1];
}

TEST(CondaRepodata, ReadsZstd) {
    std::string plain = kRepodata;
    std::string compressed(ZSTD_compressBound(plain.size()), '\0');
    compressed.resize(
        ZSTD_compress(compressed.data(), compressed.size(), plain.data(), plain.size(), 3));
    auto repodata = Repodata::parse(compressed, "repodata.json.zst");
    EXPECT_EQ(repodata.records("pytorch").size(), 3u);
}

TEST(CondaRepodata, ReadsStreamedZstdWithoutDeclaredSize) {
    struct StringSink final : airlock::archive::ByteSink {
        std::string bytes;
        void write(const void* data, std::size_t size) override {
            bytes.append(static_cast<const char*>(data), size);
        }
        void finish() override {}
    } sink;
    airlock::archive::ZstdSink zstd(sink, 3, 0);
    zstd.write(kRepodata, std::char_traits<char>::length(kRepodata));
    zstd.finish();
    ASSERT_FALSE(airlock::archive::zstd_content_size(sink.bytes).has_value());
    auto repodata = Repodata::parse(sink.bytes, "streamed.json.zst");
    EXPECT_EQ(repodata.records("pytorch").size(), 3u);
}

TEST(CondaRepodata, ReadsFiles) {
    airlock::test_support::TempDir dir("airlock-repodata-test-");
    // Sizes around a page boundary: the padding after a mapped file must read as zeros.
    for (std::size_t extra :
         {std::size_t{0}, std::size_t{1}, std::size_t{4000}, std::size_t{4096}}) {
        std::string text = std::string(kRepodata) + std::string(extra, ' ');
        auto path = dir / "repodata.json";
        airlock::test_support::write_file(path, text);
        auto repodata = Repodata::read_file(path);
        EXPECT_EQ(repodata.records("pytorch").size(), 3u) << extra;
    }
    EXPECT_THROW(Repodata::read_file(dir / "missing.json"), airlock::Error);
}

TEST(CondaRepodata, RefusesMalformed) {
    for (const char* bad : {"", "[]", "{\"packages\": []}", "{\"packages\": {\"x-1-0.conda\": 1}}",
                            "{\"packages\": {", "\x28\xb5\x2f\xfd garbage"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(Repodata::parse(bad, "bad.json"), airlock::Error);
    }
}

}  // namespace

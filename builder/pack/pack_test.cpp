#include "builder/pack/pack.hpp"
#include "builder/pack/sbom.hpp"
#include "core/base/error.hpp"
#include "core/bundle/minisign.hpp"
#include "core/bundle/reader.hpp"
#include "core/digest/sha256.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/process.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <random>

namespace airlock::pack {
namespace fs = std::filesystem;
namespace {

using test_support::read_file;
using test_support::run_shell;
using test_support::write_file;

TEST(Size, Parses) {
    EXPECT_EQ(try_parse_size("4G"), 4000000000ULL);
    EXPECT_EQ(try_parse_size("4GiB"), 4ULL << 30);
    EXPECT_EQ(try_parse_size("650m"), 650000000ULL);
    EXPECT_EQ(try_parse_size("1024"), 1024ULL);
    EXPECT_FALSE(try_parse_size("G"));
    EXPECT_FALSE(try_parse_size("0"));
    EXPECT_FALSE(try_parse_size("4X"));
}

TEST(Purl, Normalises) {
    EXPECT_EQ(pypi_purl("Foo_Bar.baz", "1.0+cu124"), "pkg:pypi/foo-bar-baz@1.0%2Bcu124");
}

class Pack : public ::testing::Test {
  protected:
    void SetUp() override {
        ::setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
        key_ = bundle::generate_keypair();
        write_file(dir_ / "k.pub", key_.public_key.to_text());
    }
    void TearDown() override { ::unsetenv("SOURCE_DATE_EPOCH"); }

    /// The same input, with its blobs stored under `cache`.
    PackInput input(const fs::path& cache, const fs::path& out) {
        fs::create_directories(cache);
        PackInput in;
        in.name = "lab";
        in.version = "2026.1";
        in.targets = {{"linux-py312",
                       "3.12",
                       "manylinux_2_28_x86_64",
                       "12.4",
                       "==3.12.*",
                       "lock-version = \"1.0\"\n",
                       "numpy==2.1.0 --hash=sha256:...\n",
                       {bundle::Ecosystem::pip},
                       std::nullopt,
                       {},
                       "",
                       ""},
                      {"win-py312",
                       "3.12",
                       "win_amd64",
                       std::nullopt,
                       "==3.12.*",
                       "lock-version = \"1.0\"\n# win\n",
                       "numpy==2.1.0\n",
                       {bundle::Ecosystem::pip},
                       std::nullopt,
                       {},
                       "",
                       ""}};
        std::mt19937 rng(7);
        auto blob = [&](const std::string& name, std::size_t size) {
            std::string bytes(size, '\0');
            for (auto& c : bytes)
                c = static_cast<char>(rng());
            fs::path p = cache / name;
            write_file(p, bytes);
            return PayloadFile{name, p,           digest::sha256_hex(bytes), size, {}, {}, "",
                               "",   std::nullopt};
        };
        auto numpy_linux = blob("numpy-2.1.0-cp312-cp312-manylinux_2_28_x86_64.whl", 300000);
        numpy_linux.urls = {"https://user:secret@mirror.example/numpy.whl"};
        numpy_linux.targets = {"linux-py312"};
        auto numpy_win = blob("numpy-2.1.0-cp312-cp312-win_amd64.whl", 200000);
        numpy_win.targets = {"win-py312"};
        auto six = blob("six-1.16.0-py2.py3-none-any.whl", 5000);
        six.targets = {"win-py312"};
        auto six_again = six;
        six_again.targets = {"linux-py312"};
        in.files = {numpy_linux, six, numpy_win, six_again};
        in.key = key_.secret;
        in.options.output = out;
        return in;
    }

    test_support::TempDir temp_{"airlock-pack-test-"};
    fs::path dir_ = temp_.path();
    bundle::KeyPair key_;
};

TEST_F(Pack, LayoutSignatureAndHashesCheckWithStandardTools) {
    auto result = write_bundle(input(dir_ / "cache", dir_ / "lab.tar"));
    ASSERT_EQ(result.files, std::vector<fs::path>{dir_ / "lab.tar"});
    EXPECT_EQ(run_shell("tar tf " + (dir_ / "lab.tar").string()).output,
              "airlock/manifest.toml\n"
              "airlock/manifest.toml.minisig\n"
              "airlock/pylock.linux-py312.toml\n"
              "airlock/pylock.win-py312.toml\n"
              "airlock/requirements.linux-py312.txt\n"
              "airlock/requirements.win-py312.txt\n"
              "sbom.cdx.json\n"
              "wheels/numpy-2.1.0-cp312-cp312-manylinux_2_28_x86_64.whl\n"
              "wheels/numpy-2.1.0-cp312-cp312-win_amd64.whl\n"
              "wheels/six-1.16.0-py2.py3-none-any.whl\n");
    // Owners, modes and times are fixed.
    std::string listing =
        run_shell("tar tvf " + (dir_ / "lab.tar").string() + " --numeric-owner").output;
    EXPECT_NE(listing.find("-rw-r--r-- 0/0"), std::string::npos) << listing;
    EXPECT_EQ(listing.find("-rw-r--r-- 0/0", listing.rfind("\n", listing.size() - 2)),
              listing.rfind("-rw-r--r-- 0/0"));

    fs::path x = dir_ / "x";
    fs::create_directories(x);
    ASSERT_EQ(run_shell("tar xf " + (dir_ / "lab.tar").string() + " -C " + x.string()).exit_code,
              0);
    // Debian's minisign (packaging/setup.sh installs it) checks the signature.
    std::string verify = "minisign -V -p " + (dir_ / "k.pub").string() + " -m " +
                         (x / "airlock/manifest.toml").string();
    auto good = run_shell(verify, test_support::Stderr::merged);
    EXPECT_EQ(good.exit_code, 0) << good.output;
    std::string manifest = read_file(x / "airlock/manifest.toml");
    manifest[manifest.find("sequence = ")] = 'S';
    write_file(x / "airlock/manifest.toml", manifest);
    EXPECT_NE(run_shell(verify, test_support::Stderr::merged).exit_code, 0);
    // The manifest's hashes are what sha256sum says.
    for (const auto& f : result.manifest.files) {
        std::string line = run_shell("cd " + x.string() + " && sha256sum " + f.path.str()).output;
        EXPECT_EQ(line.substr(0, 64), f.sha256) << f.path;
    }
    const auto* numpy =
        result.manifest.find("wheels/numpy-2.1.0-cp312-cp312-manylinux_2_28_x86_64.whl");
    ASSERT_NE(numpy, nullptr);
    EXPECT_EQ(numpy->urls, std::vector<std::string>{"https://mirror.example/numpy.whl"});
    EXPECT_EQ(numpy->package, "numpy");
    EXPECT_EQ(numpy->version, "2.1.0");
    const auto* six = result.manifest.find("wheels/six-1.16.0-py2.py3-none-any.whl");
    EXPECT_EQ(std::vector<std::string>(six->targets.begin(), six->targets.end()),
              (std::vector<std::string>{"linux-py312", "win-py312"}));
    EXPECT_EQ(result.manifest.created, "2026-01-01T00:00:00Z");
    EXPECT_EQ(result.manifest.sequence, 1767225600u);

    auto sbom = nlohmann::json::parse(read_file(x / "sbom.cdx.json"));
    EXPECT_EQ(sbom["specVersion"], "1.5");
    EXPECT_EQ(sbom["components"].size(), 3u);
    EXPECT_EQ(sbom["components"][0]["purl"], "pkg:pypi/numpy@2.1.0");
    EXPECT_EQ(sbom["components"][0]["hashes"][0]["content"], numpy->sha256);
    EXPECT_EQ(sbom["metadata"]["timestamp"], "2026-01-01T00:00:00Z");

    // And airlock's own reader agrees.
    auto report = bundle::read_bundle(bundle::bundle_parts(dir_ / "lab.tar"), {key_.public_key},
                                      std::nullopt, bundle::AllowUnsigned::no);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.key_id, key_.public_key.id);
}

TEST_F(Pack, SameLockSameBytesWhateverTheCacheAndTime) {
    for (auto compression : {bundle::Compression::none, bundle::Compression::zstd}) {
        auto a = input(dir_ / "cache-a", dir_ / "a.tar");
        a.options.compression = compression;
        write_bundle(a);
        auto b = input(dir_ / "cache-b", dir_ / "b.tar");
        b.options.compression = compression;
        for (const auto& f : b.files) {
            fs::last_write_time(f.blob, fs::file_time_type::clock::now() - std::chrono::hours(30));
        }
        write_bundle(b);
        EXPECT_EQ(digest::sha256_file(dir_ / "a.tar"), digest::sha256_file(dir_ / "b.tar"));
        fs::remove_all(dir_ / "cache-a");
        fs::remove_all(dir_ / "cache-b");
    }
}

TEST_F(Pack, SplitPartsConcatenateToTheBundle) {
    auto in = input(dir_ / "cache", dir_ / "whole.tar");
    write_bundle(in);
    in.options.output = dir_ / "split.tar";
    in.options.split_size = 100000;
    auto result = write_bundle(in);
    ASSERT_EQ(result.files.size(), 6u);
    EXPECT_EQ(result.files[0], dir_ / "split.tar.part000");
    EXPECT_LE(fs::file_size(result.files[0]), 100000u);
    std::string joined;
    for (const auto& p : result.files)
        joined += read_file(p);
    EXPECT_TRUE(joined == read_file(dir_ / "whole.tar"));
    EXPECT_FALSE(fs::exists(dir_ / "split.tar"));
    auto report = bundle::read_bundle(bundle::bundle_parts(dir_ / "split.tar"), {key_.public_key},
                                      std::nullopt, bundle::AllowUnsigned::no);
    EXPECT_TRUE(report.ok());
}

TEST_F(Pack, UnsignedIsMarkedAndBadInputLeavesNothing) {
    auto in = input(dir_ / "cache", dir_ / "u.tar");
    in.key.reset();
    auto result = write_bundle(in);
    EXPECT_EQ(result.manifest.signing, bundle::Signing::unsigned_);
    EXPECT_EQ(run_shell("tar tf " + (dir_ / "u.tar").string() + " | head -2").output,
              "airlock/manifest.toml\nairlock/pylock.linux-py312.toml\n");

    in.options.output = dir_ / "bad.tar";
    in.files[1].sha256 = std::string(64, '0');
    EXPECT_THROW(write_bundle(in), Error);
    for (const auto& e : fs::directory_iterator(dir_)) {
        EXPECT_EQ(e.path().filename().string().find("bad.tar"), std::string::npos);
    }
}

TEST_F(Pack, CondaPackagesFormALocalChannel) {
    auto in = input(dir_ / "cache", dir_ / "c.tar");
    in.targets[0].ecosystems = {bundle::Ecosystem::pip, bundle::Ecosystem::conda};
    in.targets[0].conda_subdir = "linux-64";
    in.targets[0].conda_specs = {"zlib"};
    in.targets[0].conda_explicit = "@EXPLICIT\n";
    in.targets[0].conda_lock_toml = "lock-version = \"1\"\n";
    std::string bytes = "a .conda package";
    fs::path blob = dir_ / "cache" / "zlib.conda";
    write_file(blob, bytes);
    auto record = conda::PackageRecord::from_json(
        R"({"name":"_zlib","version":"1.3.1","build":"h4ab18f5_1","build_number":1,)"
        R"("subdir":"linux-64","depends":["libgcc >=12"],"md5":")" +
        std::string(32, 'c') + R"(","sha256":")" + digest::sha256_hex(bytes) + R"(","size":16})");
    record.fn = "_zlib-1.3.1-h4ab18f5_1.conda";
    record.channel = "https://user:pw@conda.example/conda-forge";
    in.files.push_back({record.fn,
                        blob,
                        digest::sha256_hex(bytes),
                        bytes.size(),
                        {"https://conda.example/conda-forge/linux-64/" + record.fn},
                        {"linux-py312"},
                        "",
                        "",
                        record});
    auto result = write_bundle(in);
    std::string listing = run_shell("tar tf " + (dir_ / "c.tar").string()).output;
    for (const char* path :
         {"airlock/conda.linux-py312.txt\n", "airlock/conda.linux-py312.lock.toml\n",
          "conda/linux-64/_zlib-1.3.1-h4ab18f5_1.conda\n", "conda/linux-64/repodata.json\n",
          "conda/noarch/repodata.json\n"}) {
        EXPECT_NE(listing.find(path), std::string::npos) << path << listing;
    }
    EXPECT_EQ(listing.find("airlock/conda.win-py312"), std::string::npos);
    const auto* f = result.manifest.find("conda/linux-64/_zlib-1.3.1-h4ab18f5_1.conda");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->md5, std::string(32, 'c'));
    EXPECT_EQ(f->package, "_zlib");
    EXPECT_EQ(f->version, "1.3.1");
    const auto* noarch = result.manifest.find("conda/noarch/repodata.json");
    ASSERT_NE(noarch, nullptr);
    EXPECT_EQ(std::vector<std::string>(noarch->targets.begin(), noarch->targets.end()),
              std::vector<std::string>{"linux-py312"});
    EXPECT_EQ(result.manifest.targets[0].conda_subdir->str(), "linux-64");
    EXPECT_FALSE(result.manifest.targets[1].carries(bundle::Ecosystem::conda));

    fs::path x = dir_ / "cx";
    fs::create_directories(x);
    ASSERT_EQ(run_shell("tar xf " + (dir_ / "c.tar").string() + " -C " + x.string()).exit_code, 0);
    auto repodata = nlohmann::json::parse(read_file(x / "conda/linux-64/repodata.json"));
    const auto& r = repodata["packages.conda"]["_zlib-1.3.1-h4ab18f5_1.conda"];
    EXPECT_EQ(r["sha256"], digest::sha256_hex(bytes));
    EXPECT_EQ(r["md5"], std::string(32, 'c'));
    EXPECT_EQ(r["size"], 16);
    auto noarch_repodata = nlohmann::json::parse(read_file(x / "conda/noarch/repodata.json"));
    EXPECT_TRUE(noarch_repodata["packages"].empty());
    EXPECT_TRUE(noarch_repodata["packages.conda"].empty());
    std::string sbom = read_file(x / "sbom.cdx.json");
    EXPECT_NE(sbom.find("\"pkg:conda/_zlib@1.3.1?build=h4ab18f5_1&channel=https%3A%2F%2F"
                        "conda.example%2Fconda-forge&subdir=linux-64&type=conda\""),
              std::string::npos)
        << sbom;
    EXPECT_EQ(sbom.find("pw@"), std::string::npos);
}

}  // namespace
}  // namespace airlock::pack

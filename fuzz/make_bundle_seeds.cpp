/// Writes the seed bundles of fuzz/corpus/bundle_reader/ with airlock's own writer: signed with
/// the throw-away fuzz key (fuzz/fuzz_key/, never used for anything else), unsigned, zstd, split
/// targets, conda files. Run once by hand when the bundle format changes:
///   cmake --build build --target fuzz_make_bundle_seeds
///   build/bin/fuzz_make_bundle_seeds fuzz/fuzz_key/fuzz.key fuzz/corpus/bundle_reader

#include "core/base/read_file.hpp"
#include "core/bundle/writer.hpp"
#include "core/digest/sha256.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace airlock;
using namespace airlock::bundle;
namespace fs = std::filesystem;

namespace {

BundleFile file(std::string path, const std::string& bytes, std::string package,
                std::string version, std::vector<TargetName> targets = {}) {
    BundleFile f;
    f.path = std::move(path);
    f.size = bytes.size();
    f.sha256 = digest::sha256_hex(bytes);
    f.urls = {"https://files.example.org/" + std::string(f.path)};
    f.targets = std::move(targets);
    f.package = std::move(package);
    f.version = std::move(version);
    return f;
}

struct Seed {
    std::string name;
    bool sign = true;
    Compression compression = Compression::none;
    bool conda = false;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <fuzz.key> <output folder>\n", argv[0]);
        return 2;
    }
    auto key = SecretKey::parse(read_file(argv[1], "the fuzz key"), argv[1], std::nullopt);
    fs::path out_dir = argv[2];
    const std::string wheel = "PK\x03\x04 not really a wheel\n";
    const std::string lock = "lock-version = \"1.0\"\ncreated-by = \"airlock\"\n";
    const std::string conda_pkg = "not really a .conda package\n";
    const std::string repodata =
        "{\"info\":{\"subdir\":\"linux-64\"},\"packages\":{},\"packages.conda\":{}}\n";

    const Seed seeds[] = {
        {"signed.airlock", true, Compression::none, false},
        {"unsigned.airlock", false, Compression::none, false},
        {"signed.airlock.zst", true, Compression::zstd, false},
        {"conda.airlock", true, Compression::none, true},
        {"conda-unsigned.airlock.zst", false, Compression::zstd, true},
    };
    for (const auto& seed : seeds) {
        BundleManifest m;
        m.name = "fuzz";
        m.version = "2026.12.1";
        m.sequence = 7;
        m.created = rfc3339_utc(1767225600);
        m.builder = "airlock-build 0.1.0";
        m.signing = seed.sign ? Signing::signed_ : Signing::unsigned_;
        BundleTarget linux{
            "linux", "3.12", "manylinux_2_28_x86_64", "12.4", "==3.12.*", {Ecosystem::pip}, {}, {}};
        BundleTarget win{"win", "3.12", "win_amd64", std::nullopt, "", {Ecosystem::pip}, {}, {}};
        std::vector<EntrySource> sources;
        auto add = [&](BundleFile f, const std::string& bytes) {
            sources.push_back({f.path, {}, bytes});
            m.files.push_back(std::move(f));
        };
        add(file("wheels/demo-1.0-py3-none-any.whl", wheel, "demo", "1.0"), wheel);
        add(file("airlock/pylock.linux.toml", lock, "", "", {"linux"}), lock);
        if (seed.conda) {
            linux.ecosystems = {Ecosystem::conda, Ecosystem::pip};
            linux.conda_subdir = CondaSubdir("linux-64");
            linux.conda_specs = {CondaSpecText("numpy >=1.26,<2")};
            auto pkg = file("conda/linux-64/numpy-1.26.4-py312h_0.conda", conda_pkg, "numpy",
                            "1.26.4", {"linux"});
            pkg.md5 = std::string(32, 'a');
            add(pkg, conda_pkg);
            add(file("conda/linux-64/repodata.json", repodata, "", "", {"linux"}), repodata);
            add(file("conda/noarch/repodata.json", repodata, "", "", {"linux"}), repodata);
        }
        m.targets = {linux, win};
        std::sort(m.files.begin(), m.files.end(),
                  [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
        WriteOptions options;
        options.output = out_dir / seed.name;
        options.compression = seed.compression;
        options.zstd_threads = 0;
        write_bundle_archive(m, sources, seed.sign ? &key : nullptr, options);
        std::printf("wrote %s\n", options.output.c_str());
    }
    return 0;
}

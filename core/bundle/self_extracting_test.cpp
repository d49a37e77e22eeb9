#include "core/bundle/self_extracting.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>

namespace airlock::bundle {
namespace {
namespace fs = std::filesystem;

using test_support::write_file;

/// A file in a fresh temp dir, removed with it.
struct TempFile {
    test_support::TempDir dir{"airlock-sfx-"};
    fs::path path = dir / "file";
};

std::string fake_program(std::size_t size) {
    std::string s(size, 'p');
    std::memcpy(s.data(), ELFMAG, SELFMAG);
    return s;
}

std::string with_trailer(const std::string& program, const std::string& bundle, EmbeddedBundle e) {
    auto t = encode_sfx_trailer(e);
    return program + bundle + std::string(t.data(), t.size());
}

TEST(SelfExtracting, FindsTheBundleItsTrailerDescribes) {
    TempFile f;
    write_file(f.path, with_trailer(fake_program(4096), "bundle bytes", {4096, 12, {}}));
    auto e = find_embedded_bundle(f.path);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->offset, 4096u);
    EXPECT_EQ(e->length, 12u);
}

TEST(SelfExtracting, APlainFileHasNone) {
    TempFile f;
    write_file(f.path, std::string(1024, '\0'));
    EXPECT_FALSE(find_embedded_bundle(f.path));
    write_file(f.path, "tiny");
    EXPECT_FALSE(find_embedded_bundle(f.path));
}

TEST(SelfExtracting, ATrailerThatDoesNotFitIsAnError) {
    TempFile f;
    const std::string program = fake_program(4096);
    for (EmbeddedBundle e : {EmbeddedBundle{4095, 12, {}}, EmbeddedBundle{4096, 13, {}},
                             EmbeddedBundle{4096, 11, {}}, EmbeddedBundle{0, 4108, {}},
                             EmbeddedBundle{~0ULL, 12, {}}, EmbeddedBundle{4108, 0, {}}}) {
        write_file(f.path, with_trailer(program, "bundle bytes", e));
        EXPECT_THROW(find_embedded_bundle(f.path), Error) << e.offset << " " << e.length;
    }
    std::string not_elf = program;
    not_elf[0] = 'X';
    write_file(f.path, with_trailer(not_elf, "bundle bytes", {4096, 12, {}}));
    EXPECT_THROW(find_embedded_bundle(f.path), Error);
}

TEST(SelfExtracting, TheSourceChecksTheWholeFilesHash) {
    TempFile out;
    const std::string program = fake_program(8192);
    const std::string bundle = "the bundle's bytes";
    digest::Sha256 h;
    h.update(program);
    h.update(bundle);
    EmbeddedBundle e{program.size(), bundle.size(), h.digest()};
    write_file(out.path, with_trailer(program, bundle, e));
    {
        EmbeddedBundleSource src(out.path, *find_embedded_bundle(out.path));
        std::string got(64, '\0');
        got.resize(src.read(got.data(), got.size()));
        EXPECT_EQ(got, bundle);
        EXPECT_EQ(src.read(got.data(), got.size()), 0u);
    }
    std::string damaged = program;
    damaged[5000] ^= 1;
    write_file(out.path, with_trailer(damaged, bundle, e));
    EmbeddedBundleSource src(out.path, *find_embedded_bundle(out.path));
    std::string got(64, '\0');
    src.read(got.data(), got.size());
    EXPECT_THROW(src.read(got.data(), got.size()), Error);
}

TEST(SelfExtracting, OnlyAStaticInstallerIsAccepted) {
    TempFile f;
    write_file(f.path, "#!/bin/sh\n");
    EXPECT_THROW(check_static_installer(f.path), Error);
    // This test program itself is dynamically linked (it names an interpreter).
    EXPECT_THROW(check_static_installer("/proc/self/exe"), Error);
}

}  // namespace
}  // namespace airlock::bundle

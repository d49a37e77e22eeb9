#include "core/conda/package_filename.hpp"

#include "core/base/error.hpp"
#include "core/conda/package_name.hpp"

#include <gtest/gtest.h>

using airlock::conda::PackageFilename;
using airlock::conda::PackageFormat;
using airlock::conda::PackageName;

namespace {

TEST(CondaPackageFilename, Parses) {
    auto f = PackageFilename::parse("pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0.tar.bz2");
    EXPECT_EQ(f.name.normalized(), "pytorch");
    EXPECT_EQ(f.version.source(), "2.3.1");
    EXPECT_EQ(f.build, "py3.12_cuda12.1_cudnn8.9.2_0");
    EXPECT_EQ(f.format, PackageFormat::tar_bz2);
    EXPECT_EQ(f.stem(), "pytorch-2.3.1-py3.12_cuda12.1_cudnn8.9.2_0");

    auto g = PackageFilename::parse("_libgcc_mutex-0.1-conda_forge.conda");
    EXPECT_EQ(g.name.source(), "_libgcc_mutex");
    EXPECT_EQ(g.format, PackageFormat::conda);
    EXPECT_EQ(g.to_string(), "_libgcc_mutex-0.1-conda_forge.conda");

    auto h = PackageFilename::parse("ca-certificates-2024.2.2-hbcca054_0.conda");
    EXPECT_EQ(h.name.source(), "ca-certificates");
    EXPECT_EQ(h.version.source(), "2024.2.2");
    EXPECT_EQ(PackageFilename::parse("openssl-1!3.0.0-h_0.conda").version.source(), "1!3.0.0");
}

TEST(CondaPackageFilename, RefusesUntrusted) {
    for (const char* bad : {"",
                            "x.conda",
                            "x-1.conda",
                            "-1-0.conda",
                            "x-1-0.whl",
                            "x-1-0",
                            "../x-1-0.conda",
                            "a/b-1-0.conda",
                            "a\\b-1-0.conda",
                            "x-1-0/../..conda",
                            "x-1-.conda",
                            "x--0.conda",
                            "x-1*-0.conda",
                            "x-1-0 .conda",
                            "x-1-0\n.conda",
                            "x-1-0\x1b.conda",
                            "x-1-\xff.conda",
                            "C:x-1-0.conda",
                            ".x-1-0.conda",
                            "x-1-.0.conda"}) {
        SCOPED_TRACE(bad);
        EXPECT_THROW(PackageFilename::parse(bad), airlock::Error);
        EXPECT_FALSE(PackageFilename::try_parse(bad).has_value());
    }
}

TEST(CondaPackageName, ValidatesAndNormalizes) {
    auto n = PackageName::parse("PyYAML");
    EXPECT_EQ(n.source(), "PyYAML");
    EXPECT_EQ(n.normalized(), "pyyaml");
    EXPECT_EQ(n, PackageName::parse("pyyaml"));
    EXPECT_TRUE(PackageName::parse("__cuda").is_virtual());
    EXPECT_FALSE(PackageName::parse("_libgcc_mutex").is_virtual());
    for (const char* bad :
         {"", ".", "..", ".x", "-x", "a/b", "a\\b", "a b", "a\x01", "a:b", "caf\xc3\xa9", "a*"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(PackageName::is_valid(bad));
        EXPECT_THROW(PackageName::parse(bad), airlock::Error);
    }
}

}  // namespace

#include "installer/host/conda_platform.hpp"

#include <gtest/gtest.h>

namespace airlock::host {
namespace {

TEST(CondaPlatform, SubdirOfHost) {
    EXPECT_EQ(conda_subdir_of({"Linux", "x86_64", "2.36"}), "linux-64");
    EXPECT_EQ(conda_subdir_of({"Linux", "aarch64", "2.36"}), "linux-aarch64");
    EXPECT_EQ(conda_subdir_of({"Linux", "ppc64le", std::nullopt}), "linux-ppc64le");
    EXPECT_EQ(conda_subdir_of({"Linux", "mips", "2.36"}), std::nullopt);
    EXPECT_EQ(conda_subdir_of({"Darwin", "arm64", std::nullopt}), std::nullopt);
}

TEST(CondaPlatform, DescribesSubdirs) {
    EXPECT_EQ(describe_conda_subdir("win-64"), "Windows x86_64");
    EXPECT_EQ(describe_conda_subdir("linux-aarch64"), "Linux aarch64");
    EXPECT_EQ(describe_conda_subdir("osx-arm64"), "macOS arm64");
    EXPECT_EQ(describe_conda_subdir("emscripten-wasm32"), "emscripten-wasm32");
}

TEST(CondaPlatform, GlibcOfPlatformTag) {
    EXPECT_EQ(glibc_of_platform_tag("manylinux_2_28_x86_64"), "2.28");
    EXPECT_EQ(glibc_of_platform_tag("manylinux2014_x86_64"), "2.17");
    EXPECT_EQ(glibc_of_platform_tag("win_amd64"), std::nullopt);
    EXPECT_EQ(glibc_of_platform_tag("musllinux_1_2_x86_64"), std::nullopt);
}

TEST(CondaPlatform, GlibcDependencies) {
    const Host host{"Linux", "x86_64", "2.36"};
    EXPECT_EQ(glibc_problem("__glibc >=2.17,<3.0.a0", host, "p"), "");
    EXPECT_EQ(glibc_problem("__glibc", host, "p"), "");
    EXPECT_EQ(glibc_problem("libzlib >=1.3", host, "p"), "");
    EXPECT_EQ(glibc_problem("__glibc >=2.38", host, "p.conda"),
              "p.conda needs __glibc >=2.38, this host has glibc 2.36");
    EXPECT_NE(glibc_problem("__glibc >=2.17", {"Linux", "x86_64", std::nullopt}, "p"), "");
}

TEST(CondaPlatform, CudaDependenciesWarn) {
    const CudaDriver driver{"550.54.14", "12.4"};
    EXPECT_EQ(cuda_problem("__cuda >=12.1", driver, "p"), "");
    EXPECT_EQ(cuda_problem("__cuda", driver, "p"), "");
    EXPECT_EQ(cuda_problem("numpy", std::nullopt, "p"), "");
    EXPECT_NE(cuda_problem("__cuda >=12.6", driver, "p").find("supports CUDA 12.4"),
              std::string::npos);
    EXPECT_NE(cuda_problem("__cuda", std::nullopt, "p").find("no NVIDIA driver"),
              std::string::npos);
}

}  // namespace
}  // namespace airlock::host

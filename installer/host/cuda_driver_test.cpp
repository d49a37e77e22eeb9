#include "installer/host/cuda_driver.hpp"

#include "installer/host/host.hpp"

#include <gtest/gtest.h>

namespace airlock::host {
namespace {

TEST(CudaDriver, ParsesProcVersion) {
    EXPECT_EQ(parse_proc_driver_version(
                  "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 "
                  "UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n"),
              "550.54.14");
    EXPECT_EQ(parse_proc_driver_version(
                  "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  535.104.05  Release "
                  "Build  (dvs-builder@U16-T02-35-3)  Sat Aug 19 01:13:15 UTC 2023\n"),
              "535.104.05");
    EXPECT_EQ(parse_proc_driver_version("garbage"), std::nullopt);
}

TEST(CudaDriver, ParsesNvidiaSmiBanner) {
    auto d = parse_nvidia_smi(
        "+------------------------------------------------------------------------------+\n"
        "| NVIDIA-SMI 550.54.14    Driver Version: 550.54.14    CUDA Version: 12.4     |\n");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->version, "550.54.14");
    EXPECT_EQ(d->cuda_version, "12.4");
    EXPECT_EQ(parse_nvidia_smi("No devices were found"), std::nullopt);
}

TEST(CudaDriver, MinimumDriverTable) {
    EXPECT_EQ(minimum_driver_for_cuda("12.4"), "550.54.14");
    EXPECT_EQ(minimum_driver_for_cuda("12.1.1"), "530.30.02");
    EXPECT_EQ(minimum_driver_for_cuda("11.8"), "520.61.05");
    EXPECT_EQ(minimum_driver_for_cuda("9.0"), std::nullopt);
    EXPECT_EQ(cuda_for_driver("550.54.14"), "12.4");
    EXPECT_EQ(cuda_for_driver("550.54.13"), "12.3");
    EXPECT_EQ(cuda_for_driver("535.104.05"), "12.2");
    EXPECT_EQ(cuda_for_driver("300.1"), std::nullopt);
}

TEST(CudaDriver, Warnings) {
    EXPECT_TRUE(cuda_warnings("cpu", "", std::nullopt).empty());
    auto none = cuda_warnings("cu124", "12.4", std::nullopt);
    ASSERT_EQ(none.size(), 1u);
    EXPECT_NE(none[0].find("no NVIDIA driver was found"), std::string::npos);
    EXPECT_NE(none[0].find("550.54.14 or newer"), std::string::npos);

    auto old = cuda_warnings("cu124", "12.4", CudaDriver{"535.104.05", "12.2"});
    ASSERT_EQ(old.size(), 1u);
    EXPECT_NE(old[0].find("driver 535.104.05 (runs CUDA up to 12.2) is too old: CUDA 12.4 needs "
                          "driver 550.54.14 or newer"),
              std::string::npos)
        << old[0];
    EXPECT_TRUE(cuda_warnings("cu124", "12.4", CudaDriver{"550.54.14", "12.4"}).empty());
    EXPECT_TRUE(cuda_warnings("cu121", "12.1", CudaDriver{"560.28.03", std::nullopt}).empty());
    EXPECT_EQ(cuda_warnings("cu121", "12.1", CudaDriver{"525.60.13", std::nullopt}).size(), 1u);
}

TEST(NumericVersion, Compares) {
    EXPECT_LT(compare_numeric("2.4", "2.36"), 0);
    EXPECT_GT(compare_numeric("550.54.14", "550.54.3"), 0);
    EXPECT_EQ(compare_numeric("12.4", "12.4.0"), 0);
    EXPECT_LT(compare_numeric("570.26", "570.26.1"), 0);
}

}  // namespace
}  // namespace airlock::host

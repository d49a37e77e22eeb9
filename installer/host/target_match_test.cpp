#include "installer/host/target_match.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

namespace airlock::host {
namespace {

Interpreter cpython(int minor, std::string glibc = "2.36") {
    Interpreter in;
    in.executable = "/usr/bin/python3." + std::to_string(minor);
    in.implementation = "cpython";
    in.major = 3;
    in.minor = minor;
    in.micro = 7;
    in.system = "Linux";
    in.machine = "x86_64";
    in.glibc = glibc;
    in.tags = computed_tags(3, minor, "Linux", "x86_64", glibc);
    return in;
}

const std::vector<TargetOffer> kOffers = {
    {"linux-py312", "3.12", "manylinux_2_28_x86_64", ""},
    {"win-py312", "3.12", "win_amd64", ""},
    {"linux-py311", "3.11", "manylinux_2_17_x86_64", ""},
};

std::string message_of(const std::function<void()>& body) {
    try {
        body();
    } catch (const Error& e) {
        return e.render();
    }
    return "";
}

TEST(TargetMatch, PicksTheTargetForTheInterpreterVersion) {
    EXPECT_EQ(choose_target(kOffers, cpython(12), std::nullopt, HasGpu::no).name, "linux-py312");
    EXPECT_EQ(choose_target(kOffers, cpython(11), std::nullopt, HasGpu::no).name, "linux-py311");
}

TEST(TargetMatch, FitTable) {
    struct Row {
        TargetOffer offer;
        int minor;
        std::string glibc;
        bool fits;
    };
    const Row rows[] = {
        {{"a", "3.12", "manylinux_2_28_x86_64", ""}, 12, "2.36", true},
        {{"a", "3.12", "manylinux_2_28_x86_64", ""}, 12, "2.28", true},
        {{"a", "3.12", "manylinux_2_28_x86_64", ""}, 12, "2.27", false},
        {{"a", "3.12", "manylinux2014_x86_64", ""}, 12, "2.17", true},
        {{"a", "3.12", "manylinux1_x86_64", ""}, 12, "2.17", true},
        {{"a", "3.12", "linux_x86_64", ""}, 12, "2.17", true},
        {{"a", "3.12", "manylinux_2_28_aarch64", ""}, 12, "2.36", false},
        {{"a", "3.12", "win_amd64", ""}, 12, "2.36", false},
        {{"a", "3.11", "manylinux_2_17_x86_64", ""}, 12, "2.36", false},
        {{"a", "3.12", "any", ""}, 12, "2.36", true},
    };
    for (const auto& row : rows) {
        auto in = cpython(row.minor, row.glibc);
        EXPECT_EQ(fit(row.offer, in).fits(), row.fits)
            << row.offer.platform << " py" << row.offer.python << " on glibc " << row.glibc;
    }
}

TEST(TargetMatch, MismatchSaysWhatTheBundleOffersAndWhatTheHostIs) {
    auto text = message_of([] { choose_target(kOffers, cpython(10), std::nullopt, HasGpu::no); });
    EXPECT_NE(text.find("the bundle has targets linux-py312 (CPython 3.12, manylinux_2_28_x86_64), "
                        "win-py312 (CPython 3.12, win_amd64) and linux-py311 (CPython 3.11, "
                        "manylinux_2_17_x86_64)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("this host is CPython 3.10.7 on Linux x86_64 glibc 2.36"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("python3.12 or python3.11"), std::string::npos) << text;
}

TEST(TargetMatch, OldGlibcNamesTheGlibcNeeded) {
    std::vector<TargetOffer> offers = {{"linux-py312", "3.12", "manylinux_2_28_x86_64", ""}};
    auto text =
        message_of([&] { choose_target(offers, cpython(12, "2.17"), std::nullopt, HasGpu::no); });
    EXPECT_NE(text.find("needs glibc 2.28 or newer"), std::string::npos) << text;
}

TEST(TargetMatch, WantedTargetMustExistAndFit) {
    auto unknown = message_of([] { choose_target(kOffers, cpython(12), "nope", HasGpu::no); });
    EXPECT_NE(unknown.find("no target `nope`"), std::string::npos) << unknown;
    auto misfit =
        message_of([] { choose_target(kOffers, cpython(12), "linux-py311", HasGpu::no); });
    EXPECT_NE(misfit.find("target `linux-py311` does not fit this host: it needs Python 3.11"),
              std::string::npos)
        << misfit;
    EXPECT_EQ(choose_target(kOffers, cpython(12), "linux-py312", HasGpu::no).name, "linux-py312");
}

TEST(TargetMatch, GpuDecidesBetweenCudaAndCpuTargets) {
    std::vector<TargetOffer> offers = {
        {"cpu", "3.12", "manylinux_2_17_x86_64", ""},
        {"cu124", "3.12", "manylinux_2_28_x86_64", "12.4"},
    };
    EXPECT_EQ(choose_target(offers, cpython(12), std::nullopt, HasGpu::yes).name, "cu124");
    EXPECT_EQ(choose_target(offers, cpython(12), std::nullopt, HasGpu::no).name, "cpu");
}

TEST(TargetMatch, PrefersTheMostSpecificPlatform) {
    std::vector<TargetOffer> offers = {
        {"old", "3.12", "manylinux2014_x86_64", ""},
        {"new", "3.12", "manylinux_2_28_x86_64", ""},
    };
    EXPECT_EQ(choose_target(offers, cpython(12), std::nullopt, HasGpu::no).name, "new");
}

}  // namespace
}  // namespace airlock::host

#include "installer/host/conda_platform.hpp"

#include "core/conda/match_spec.hpp"
#include "core/conda/version.hpp"

#include <array>
#include <regex>
#include <utility>

namespace airlock::host {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> linux_machines = {{
    {"x86_64", "64"},
    {"aarch64", "aarch64"},
    {"ppc64le", "ppc64le"},
    {"s390x", "s390x"},
    {"i686", "32"},
    {"armv7l", "armv7l"},
}};

/// The version spec of a virtual package dependency named `name`, or nullopt when `depend` is
/// about something else or cannot be read.
std::optional<conda::MatchSpec> virtual_spec(std::string_view depend, std::string_view name) {
    auto spec = conda::MatchSpec::try_parse(depend);
    if (!spec || !spec->name() || spec->name()->normalized() != name)
        return std::nullopt;
    return spec;
}

}  // namespace

std::optional<std::string> conda_subdir_of(const Host& host) {
    if (host.system != "Linux")
        return std::nullopt;
    for (const auto& [machine, suffix] : linux_machines)
        if (host.machine == machine)
            return "linux-" + std::string(suffix);
    return std::nullopt;
}

std::string describe_conda_subdir(std::string_view subdir) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> oses = {{
        {"linux-", "Linux"},
        {"win-", "Windows"},
        {"osx-", "macOS"},
        {"freebsd-", "FreeBSD"},
    }};
    for (const auto& [prefix, os] : oses) {
        if (!subdir.starts_with(prefix))
            continue;
        std::string_view arch = subdir.substr(prefix.size());
        std::string machine(arch);
        if (arch == "64")
            machine = "x86_64";
        else if (arch == "32")
            machine = "x86";
        return std::string(os) + " " + machine;
    }
    return std::string(subdir);
}

std::optional<std::string> glibc_of_platform_tag(std::string_view platform) {
    static const std::regex pep600(R"(^manylinux_(\d+)_(\d+)_\w+$)");
    std::string text(platform);
    std::smatch m;
    if (std::regex_match(text, m, pep600))
        return m[1].str() + "." + m[2].str();
    if (text.starts_with("manylinux2014_"))
        return "2.17";
    if (text.starts_with("manylinux2010_"))
        return "2.12";
    if (text.starts_with("manylinux1_"))
        return "2.5";
    return std::nullopt;
}

std::string glibc_problem(std::string_view depend, const Host& host, std::string_view who) {
    auto spec = virtual_spec(depend, "__glibc");
    if (!spec || !spec->version())
        return "";
    if (!host.glibc)
        return std::string(who) + " needs " + std::string(depend) +
               ", and this host has no glibc (" + host.describe() + ")";
    auto version = conda::Version::try_parse(*host.glibc);
    if (version && spec->version()->matches(*version))
        return "";
    return std::string(who) + " needs " + std::string(depend) + ", this host has glibc " +
           *host.glibc;
}

std::string cuda_problem(std::string_view depend, const std::optional<CudaDriver>& driver,
                         std::string_view who) {
    auto spec = virtual_spec(depend, "__cuda");
    if (!spec)
        return "";
    if (!driver)
        return std::string(who) + " needs " + std::string(depend) +
               ", and no NVIDIA driver was found on this host; it will not find a GPU";
    std::optional<std::string> cuda = driver->cuda_version;
    if (!cuda)
        cuda = cuda_for_driver(driver->version);
    if (!spec->version())
        return "";
    auto version = cuda ? conda::Version::try_parse(*cuda) : std::nullopt;
    if (version && spec->version()->matches(*version))
        return "";
    return std::string(who) + " needs " + std::string(depend) + ", and the driver " +
           driver->version + " supports CUDA " + cuda.value_or("below every known version") +
           "; update the NVIDIA driver";
}

}  // namespace airlock::host

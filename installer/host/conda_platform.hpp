#pragma once
/// Which conda subdir (conda's `context.subdir`: `linux-64`, `linux-aarch64`, `osx-arm64`,
/// `win-64`) a host runs, and whether the virtual packages a conda package depends on
/// (`__glibc >=2.28`, `__cuda >=12`) are met by the host (conda's virtual package specs).

#include "installer/host/cuda_driver.hpp"
#include "installer/host/host.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::host {

/// The subdir of packages this host runs (`linux-64` for Linux x86_64), or nullopt for a machine
/// conda has no subdir for.
std::optional<std::string> conda_subdir_of(const Host& host);

/// "Windows x86_64" for `win-64`, "Linux aarch64" for `linux-aarch64`; the subdir itself when
/// unknown.
std::string describe_conda_subdir(std::string_view subdir);

/// The glibc a manylinux platform tag needs ("manylinux_2_28_x86_64" → "2.28",
/// "manylinux2014_x86_64" → "2.17"), nullopt for other tags.
std::optional<std::string> glibc_of_platform_tag(std::string_view platform);

/// Checks the host against one dependency of a package (`__glibc >=2.28`): an empty string when
/// it is met or not a glibc requirement, else why not. `who` names the package.
std::string glibc_problem(std::string_view depend, const Host& host, std::string_view who);

/// A warning (empty when none) when `depend` is a `__cuda` requirement the host's driver does
/// not meet (no driver, or one whose CUDA is older).
std::string cuda_problem(std::string_view depend, const std::optional<CudaDriver>& driver,
                         std::string_view who);

}  // namespace airlock::host

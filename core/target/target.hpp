#pragma once
/// A resolution target: the platform compatibility tags it accepts (packaging.tags `sys_tags`,
/// PEP 425/600/656, macOS rules) and its PEP 508 marker environment — computed from the
/// manifest's values, never from the host — and the conda subdir and virtual packages of the
/// same machine.

#include "core/pep508/environment.hpp"
#include "core/tags/tag.hpp"
#include "core/target/virtual_package.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace airlock::target {

enum class Os { linux, windows, macos };
enum class Libc { glibc, musl, unknown /* plain linux_<arch> */, none /* Windows, macOS */ };

/// Build with make(): it validates the values and precomputes the tag list and its index.
/// Changing `python`, `platform` or `implementation` afterwards is a programming error
/// (supported_tags() and rank() then throw an internal Error); `name` and `cuda` may change.
struct Target {
    std::string name;      ///< the manifest's target name ("linux-py312-cu124")
    std::string python;    ///< "3.12", or with the patch release "3.12.4"
    std::string platform;  ///< a wheel platform tag ("manylinux_2_28_x86_64")
    std::string implementation = "cp";
    std::optional<std::string> cuda;    ///< "12.4"
    std::optional<std::string> subdir;  ///< the conda subdir when given explicitly ("linux-64")

    /// Validates every value with an actionable error: the name (letters, digits, `.`, `_`,
    /// `-`: it becomes part of file names), python `3.N` or `3.N.P`, a known platform tag form
    /// (manylinux_X_Y_<arch>, manylinux1/2010/2014_<arch>, musllinux_X_Y_<arch>,
    /// linux_<arch>, win_amd64, win32, win_arm64, macosx_X_Y_<arm64|x86_64>), implementation
    /// `cp` (CPython; the only one supported), cuda `N.M` (not on macOS) and subdir (a conda
    /// subdir of the platform's operating system).
    static Target make(std::string name, std::string python, std::string platform,
                       std::string implementation = "cp",
                       std::optional<std::string> cuda = std::nullopt,
                       std::optional<std::string> subdir = std::nullopt);

    /// The marker environment of a CPython `python` on `platform`. python_full_version and
    /// implementation_version are the patch release given ("3.12.4"), or the `.0` one ("3.12.0")
    /// when `python` names only the minor version; platform_release and platform_version are
    /// empty (unknown for a target).
    pep508::Environment environment() const;

    /// "3.12" for python "3.12" or "3.12.4": what tags and `python_version` use.
    std::string python_minor() const;
    /// "3.12.4", or "3.12.0" for python "3.12": what Requires-Python is checked against.
    std::string python_full_version() const;

    /// Every tag the target accepts, most preferred first, exactly as packaging 24's
    /// `sys_tags()` orders them for this CPython on such a machine (with the plain
    /// `linux_<arch>` after every manylinux/musllinux tag, as pip running on Linux does).
    const std::vector<tags::Tag>& supported_tags() const;

    /// The index in supported_tags() of the best tag among `wheel_tags` (lower is better);
    /// nullopt when the wheel does not fit this target. One hash lookup per tag.
    std::optional<std::size_t> rank(const std::vector<tags::Tag>& wheel_tags) const;

    /// "cu124" for cuda "12.4": the local version label of matching PyTorch-style builds.
    std::optional<std::string> cuda_local_label() const;

    /// glibc of a manylinux target (manylinux_2_28 → {2, 28}, manylinux2014 → {2, 17}).
    std::optional<std::pair<int, int>> glibc() const;
    /// musl of a musllinux target (musllinux_1_2 → {1, 2}).
    std::optional<std::pair<int, int>> musl() const;
    /// macOS version of a macosx target (macosx_11_0_arm64 → {11, 0}).
    std::optional<std::pair<int, int>> macos_version() const;
    Os os() const;
    Libc libc() const;
    /// The machine as Python's `platform.machine()` reports it there (= `platform_machine`):
    /// "x86_64", "aarch64", "AMD64", "x86", "ARM64", "arm64".
    std::string arch() const;

    /// The conda subdir: the explicit `subdir`, else from the platform (manylinux_*_x86_64 →
    /// linux-64, *_aarch64 → linux-aarch64, win_amd64 → win-64, macosx_*_arm64 → osx-arm64,
    /// macosx_*_x86_64 → osx-64, ...).
    std::string conda_subdir() const;

    /// The virtual packages conda would report on such a machine, sorted by name: `__archspec`
    /// (1, build = the architecture), `__cuda` (the target's cuda), `__glibc` (manylinux_2_28 →
    /// 2.28), `__linux` (5.10: the kernel is not part of a target; conda-lock assumes the same),
    /// `__osx` (macosx_11_0 → 11.0), `__unix`, `__win`.
    std::vector<VirtualPackage> virtual_packages() const;

    friend bool operator==(const Target& a, const Target& b) {
        return a.name == b.name && a.python == b.python && a.platform == b.platform &&
               a.implementation == b.implementation && a.cuda == b.cuda && a.subdir == b.subdir;
    }

    struct Compiled;

  private:
    const Compiled& compiled() const;
    std::shared_ptr<const Compiled> compiled_;
};

}  // namespace airlock::target

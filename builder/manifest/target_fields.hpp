#pragma once
/// The rules for a target's fields, shared by the manifest's [[target]] and `--add-target`.

#include <string_view>

namespace airlock::manifest {

/// `[A-Za-z0-9][A-Za-z0-9._-]*`: bundle, target and index names (they name files).
bool is_safe_name(std::string_view name);
/// A wheel platform tag: manylinux_2_28_x86_64, musllinux_1_2_aarch64, win_amd64,
/// macosx_11_0_arm64…
bool is_platform_tag(std::string_view tag);
/// `3.12` or `3.12.4`.
bool is_python_version(std::string_view version);
/// `12.4`.
bool is_cuda_version(std::string_view version);

}  // namespace airlock::manifest

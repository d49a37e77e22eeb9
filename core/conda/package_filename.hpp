#pragma once
/// Conda package file names: `<name>-<version>-<build>.conda` (the v2 format, a zip of two
/// zstd tars) and `<name>-<version>-<build>.tar.bz2` (v1). The name, version and build are
/// split at the last two `-`. File names come from channels and become paths, so parsing refuses
/// anything that is not a plain file name: separators, `..`, control characters, spaces.

#include "core/conda/package_name.hpp"
#include "core/conda/version.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::conda {

enum class PackageFormat : std::uint8_t { tar_bz2, conda };

/// `.tar.bz2` or `.conda`.
std::string_view extension(PackageFormat format);

/// Whether `build` is a valid build string: ASCII letters, digits, `_`, `.`, `+`, `!`, not
/// empty, not starting with `.` (`py312h1234567_0`, `py3.12_cuda12.1_cudnn8_0`).
bool is_valid_build_string(std::string_view build);

struct PackageFilename {
    PackageName name;
    Version version;
    std::string build;
    PackageFormat format = PackageFormat::conda;

    /// Throws airlock::Error quoting the input: "invalid conda package file name `x`: <why>".
    static PackageFilename parse(std::string_view filename);
    static std::optional<PackageFilename> try_parse(std::string_view filename);

    /// `name-version-build` (no extension): the key under which the two formats of one build
    /// are the same package.
    std::string stem() const;
    /// The file name again, `stem() + extension(format)`.
    std::string to_string() const;
};

}  // namespace airlock::conda

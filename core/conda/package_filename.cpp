#include "core/conda/package_filename.hpp"

#include "core/base/error.hpp"
#include "core/conda/parse_error.hpp"

namespace airlock::conda {

std::string_view extension(PackageFormat format) {
    return format == PackageFormat::conda ? ".conda" : ".tar.bz2";
}

bool is_valid_build_string(std::string_view build) {
    if (build.empty() || build.front() == '.')
        return false;
    for (char c : build) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '+' || c == '!';
        if (!ok)
            return false;
    }
    return true;
}

PackageFilename PackageFilename::parse(std::string_view filename) {
    auto fail = [&](std::string_view message, std::size_t at = 0, std::size_t length = 0) {
        throw_parse_error("conda package file name", filename, message, at, length);
    };
    for (std::size_t i = 0; i < filename.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(filename[i]);
        if (c < 0x21 || c >= 0x7f || c == '/' || c == '\\' || c == ':')
            fail("a package file name has no separators, spaces or control characters", i, 1);
    }
    PackageFilename out;
    std::string_view stem = filename;
    if (stem.ends_with(".conda")) {
        out.format = PackageFormat::conda;
        stem.remove_suffix(6);
    } else if (stem.ends_with(".tar.bz2")) {
        out.format = PackageFormat::tar_bz2;
        stem.remove_suffix(8);
    } else {
        fail("must end with .conda or .tar.bz2");
    }
    auto dash2 = stem.rfind('-');
    auto dash1 = dash2 == std::string_view::npos || dash2 == 0 ? std::string_view::npos
                                                               : stem.rfind('-', dash2 - 1);
    if (dash1 == std::string_view::npos || dash1 == 0)
        fail("expected <name>-<version>-<build> before the extension");
    std::string_view name = stem.substr(0, dash1);
    std::string_view version = stem.substr(dash1 + 1, dash2 - dash1 - 1);
    std::string_view build = stem.substr(dash2 + 1);
    if (!PackageName::is_valid(name))
        fail("invalid package name", 0, name.size());
    if (version.empty() || version.find('*') != std::string_view::npos)
        fail("invalid version", dash1 + 1, version.size());
    auto parsed = Version::try_parse(version);
    if (!parsed)
        fail("invalid version", dash1 + 1, version.size());
    if (!is_valid_build_string(build))
        fail("invalid build string", dash2 + 1, build.size());
    out.name = PackageName::parse(name);
    out.version = std::move(*parsed);
    out.build = std::string(build);
    return out;
}

std::optional<PackageFilename> PackageFilename::try_parse(std::string_view filename) {
    try {
        return parse(filename);
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::string PackageFilename::stem() const {
    return name.source() + "-" + version.source() + "-" + build;
}

std::string PackageFilename::to_string() const {
    return stem() + std::string(extension(format));
}

}  // namespace airlock::conda

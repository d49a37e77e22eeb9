#include "builder/manifest/target_fields.hpp"

#include <regex>

namespace airlock::manifest {

bool is_safe_name(std::string_view name) {
    static const std::regex safe("[A-Za-z0-9][A-Za-z0-9._-]*");
    return std::regex_match(name.begin(), name.end(), safe);
}

bool is_platform_tag(std::string_view tag) {
    static const std::regex platform(
        "(manylinux_[0-9]+_[0-9]+|musllinux_[0-9]+_[0-9]+|manylinux1|manylinux2010|manylinux2014|"
        "linux)_(x86_64|i686|aarch64|armv7l|ppc64le|ppc64|s390x|riscv64)"
        "|win_amd64|win32|win_arm64"
        "|macosx_[0-9]+_[0-9]+_(x86_64|arm64|universal2|intel|universal|fat64|fat32|fat|i386|ppc64|"
        "ppc)");
    return std::regex_match(tag.begin(), tag.end(), platform);
}

bool is_python_version(std::string_view version) {
    static const std::regex python("3\\.[0-9]+(\\.[0-9]+)?");
    return std::regex_match(version.begin(), version.end(), python);
}

bool is_cuda_version(std::string_view version) {
    static const std::regex cuda("[0-9]+\\.[0-9]+");
    return std::regex_match(version.begin(), version.end(), cuda);
}

}  // namespace airlock::manifest

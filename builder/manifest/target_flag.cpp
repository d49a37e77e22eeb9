#include "builder/manifest/target_flag.hpp"

#include "builder/manifest/target_fields.hpp"
#include "core/base/error.hpp"
#include "core/base/toml_string.hpp"

#include <vector>

namespace airlock::manifest {

TargetSpec parse_target_flag(std::string_view value) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto colon = value.find(':', start);
        parts.emplace_back(value.substr(start, colon - start));
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    auto fail = [&](const std::string& message) {
        return Error("--add-target " + quote(value) + ": " + message, Exit::usage)
            .with_hint(
                "write NAME:PLATFORM:PYTHON[:CUDA], e.g. --add-target "
                "linux-py312:manylinux_2_28_x86_64:3.12:12.4");
    };
    if (parts.size() < 3 || parts.size() > 4)
        throw fail("expected 3 or 4 parts separated by `:`, got " + std::to_string(parts.size()));
    TargetSpec target;
    target.name = parts[0];
    target.platform = parts[1];
    target.python = parts[2];
    target.implementation = "cpython";
    if (!is_safe_name(target.name))
        throw fail("the name " + quote(target.name) +
                   " may only use letters, digits, `.`, `_` and `-` (it names files)");
    if (!is_platform_tag(target.platform))
        throw fail(quote(target.platform) +
                   " is not a wheel platform tag; use e.g. `manylinux_2_28_x86_64`, "
                   "`musllinux_1_2_x86_64`, `win_amd64` or `macosx_11_0_arm64`");
    if (!is_python_version(target.python))
        throw fail(quote(target.python) + " is not a Python version such as 3.12");
    if (parts.size() == 4) {
        if (!is_cuda_version(parts[3]))
            throw fail(quote(parts[3]) + " is not a CUDA version such as 12.4");
        if (target.platform.starts_with("macosx"))
            throw fail("a macOS target has no CUDA; drop `:" + parts[3] + "`");
        target.cuda = parts[3];
    }
    return target;
}

std::string target_toml(const TargetSpec& target) {
    std::string out = "[[target]]\n";
    out += "name = " + toml_string(target.name) + "\n";
    out += "platform = " + toml_string(target.platform) + "\n";
    out += "python = " + toml_string(target.python) + "\n";
    if (target.cuda)
        out += "cuda = " + toml_string(*target.cuda) + "\n";
    return out + "\n";
}

}  // namespace airlock::manifest

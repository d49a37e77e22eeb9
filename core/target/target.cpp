#include "core/target/target.hpp"

#include "core/base/error.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace airlock::target {

namespace {

using tags::Tag;
using Version = std::pair<int, int>;

/// A validated platform tag, taken apart.
struct Platform {
    Os os = Os::linux;
    Libc libc = Libc::none;
    std::string arch;                // as in the tag: "x86_64", "amd64", "arm64"…
    std::optional<Version> version;  // glibc, musl or macOS version
};

const std::vector<std::string> linux_archs = {"x86_64",  "i686",  "aarch64", "armv7l",
                                              "ppc64le", "ppc64", "s390x",   "riscv64"};

const char* const platform_forms =
    "use a wheel platform tag: manylinux_2_28_x86_64 (any manylinux_X_Y_<arch>, or the "
    "manylinux2014/2010/1_<arch> aliases), musllinux_1_2_x86_64, linux_x86_64, win_amd64, win32, "
    "win_arm64, macosx_11_0_arm64 or macosx_10_9_x86_64";

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::optional<int> to_int(std::string_view digits) {
    if (digits.empty() || digits.size() > 4)
        return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size())
        return std::nullopt;
    return value;
}

/// "2_28_x86_64" → ({2, 28}, "x86_64").
std::optional<std::pair<Version, std::string>> version_and_arch(std::string_view rest) {
    auto first = rest.find('_');
    if (first == std::string_view::npos)
        return std::nullopt;
    auto second = rest.find('_', first + 1);
    if (second == std::string_view::npos)
        return std::nullopt;
    auto major = to_int(rest.substr(0, first));
    auto minor = to_int(rest.substr(first + 1, second - first - 1));
    if (!major || !minor || second + 1 >= rest.size())
        return std::nullopt;
    return std::pair{Version{*major, *minor}, std::string(rest.substr(second + 1))};
}

Error unknown_platform(std::string_view tag, std::string why = "") {
    return Error("unknown platform tag " + quote(tag) + (why.empty() ? "" : ": " + why))
        .with_hint(platform_forms);
}

std::string version_text(Version v, const char* sep) {
    return std::to_string(v.first) + sep + std::to_string(v.second);
}

void check_linux_arch(std::string_view tag, const std::string& arch,
                      const std::vector<std::string>& allowed = linux_archs) {
    if (std::find(allowed.begin(), allowed.end(), arch) != allowed.end())
        return;
    std::string list;
    for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw unknown_platform(tag, "the architecture " + quote(arch) + " is not one of " + list);
}

Platform parse_platform(std::string_view tag) {
    if (std::any_of(tag.begin(), tag.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        throw Error("unknown platform tag " + quote(tag) + ": platform tags are lower-case")
            .with_hint(platform_forms);
    }
    if (tag.find_first_of("-. ") != std::string_view::npos) {
        throw Error("unknown platform tag " + quote(tag) +
                    ": platform tags separate their parts "
                    "with `_`, not `-`, `.` or spaces")
            .with_hint(platform_forms);
    }
    Platform p;
    if (tag == "win_amd64" || tag == "win32" || tag == "win_arm64") {
        p.os = Os::windows;
        p.arch = tag == "win32" ? "x86" : std::string(tag.substr(4));
        return p;
    }
    if (starts_with(tag, "macosx_")) {
        auto parsed = version_and_arch(tag.substr(7));
        if (!parsed)
            throw unknown_platform(tag, "expected macosx_<major>_<minor>_<arch>");
        auto [version, arch] = *parsed;
        if (arch != "arm64" && arch != "x86_64") {
            throw unknown_platform(tag,
                                   "a macOS target's architecture is `arm64` or `x86_64` "
                                   "(the machine's, not " +
                                       quote(arch) + ")");
        }
        if (version.first < 10 || (version.first == 10 && version.second > 16)) {
            throw unknown_platform(tag, "macOS versions are 10.0–10.16 or 11 and later");
        }
        if (arch == "arm64" && version < Version{11, 0}) {
            throw unknown_platform(tag, "arm64 Macs run macOS 11 or later");
        }
        p.os = Os::macos;
        p.arch = arch;
        p.version = version;
        return p;
    }
    p.os = Os::linux;
    static const std::pair<std::string_view, Version> legacy[] = {
        {"manylinux1_", {2, 5}}, {"manylinux2010_", {2, 12}}, {"manylinux2014_", {2, 17}}};
    for (auto [prefix, glibc] : legacy) {
        if (!starts_with(tag, prefix))
            continue;
        p.libc = Libc::glibc;
        p.version = glibc;
        p.arch = std::string(tag.substr(prefix.size()));
        if (glibc.second < 17) {
            check_linux_arch(tag, p.arch, {"x86_64", "i686"});
        } else {
            check_linux_arch(tag, p.arch,
                             {"x86_64", "i686", "aarch64", "armv7l", "ppc64le", "ppc64", "s390x"});
        }
        return p;
    }
    if (starts_with(tag, "manylinux_") || starts_with(tag, "musllinux_")) {
        bool musl = starts_with(tag, "musllinux_");
        auto parsed = version_and_arch(tag.substr(10));
        if (!parsed) {
            throw unknown_platform(tag, std::string("expected ") +
                                            (musl ? "musllinux" : "manylinux") +
                                            "_<major>_<minor>_<arch>");
        }
        std::tie(p.version, p.arch) = *parsed;
        check_linux_arch(tag, p.arch);
        p.libc = musl ? Libc::musl : Libc::glibc;
        if (musl && p.version->first != 1) {
            throw unknown_platform(tag, "musl versions are 1.x");
        }
        if (!musl) {
            bool x86 = p.arch == "x86_64" || p.arch == "i686";
            Version oldest = x86 ? Version{2, 5} : Version{2, 17};
            if (*p.version < oldest) {
                throw unknown_platform(tag, "manylinux wheels for " + p.arch + " start at glibc " +
                                                version_text(oldest, "."));
            }
        }
        return p;
    }
    if (starts_with(tag, "linux_")) {
        p.libc = Libc::unknown;
        p.arch = std::string(tag.substr(6));
        check_linux_arch(tag, p.arch);
        return p;
    }
    throw unknown_platform(tag);
}

/// packaging's `_manylinux.platform_tags`, `_musllinux.platform_tags` + `linux_<arch>`, and
/// `mac_platforms`, for the given platform.
///
/// Which packaging: the order of packaging before 26 as vendored by pip (checked against packaging
/// 24.2 on every interpreter of testdata/). packaging 26 moves `linux_<arch>` to the
/// front of each interpreter-abi run and names the x86_64 macOS fat binary `fat3` rather than
/// `fat32`; airlock follows pip on the target, and the pips that install air-gapped machines
/// today (and the ones on this machine: packaging 21.3 and 24.1) order as below. The `linux_`
/// position changes only which of several fitting wheels is preferred; `fat32`/`fat3` wheels
/// (32-bit PowerPC/Intel) do not exist for any CPython 3 that airlock targets.
std::vector<std::string> platform_tags(const Platform& p, std::string_view tag) {
    std::vector<std::string> out;
    if (p.os == Os::windows) {
        out.emplace_back(tag);
        return out;
    }
    if (p.os == Os::macos) {
        auto formats = [&](Version v) {
            std::vector<std::string> f{p.arch};
            if (p.arch == "x86_64") {
                if (v < Version{10, 4})
                    return std::vector<std::string>{};
                f.insert(f.end(), {"intel", "fat64", "fat32"});
            }
            f.push_back("universal2");
            if (p.arch == "x86_64")
                f.push_back("universal");
            return f;
        };
        auto emit = [&](Version v, const std::string& format) {
            out.push_back("macosx_" + version_text(v, "_") + "_" + format);
        };
        Version v = *p.version;
        if (v.first == 10) {
            for (int minor = v.second; minor >= 0; --minor) {
                for (const auto& f : formats({10, minor}))
                    emit({10, minor}, f);
            }
        } else {
            for (int major = v.first; major > 10; --major) {
                for (const auto& f : formats({major, 0}))
                    emit({major, 0}, f);
            }
            for (int minor = 16; minor > 3; --minor) {
                if (p.arch == "x86_64") {
                    for (const auto& f : formats({10, minor}))
                        emit({10, minor}, f);
                } else {
                    emit({10, minor}, "universal2");
                }
            }
        }
        return out;
    }
    if (p.libc == Libc::glibc) {
        static const std::unordered_map<int, const char*> legacy = {
            {5, "manylinux1"}, {12, "manylinux2010"}, {17, "manylinux2014"}};
        bool x86 = p.arch == "x86_64" || p.arch == "i686";
        Version too_old = x86 ? Version{2, 4} : Version{2, 16};
        std::vector<Version> maxima{*p.version};
        // Compatibility holds across glibc major versions; 50 is packaging's last minor guess.
        for (int major = p.version->first - 1; major > 1; --major)
            maxima.push_back({major, 50});
        for (auto max : maxima) {
            int min_minor = max.first == too_old.first ? too_old.second : -1;
            for (int minor = max.second; minor > min_minor; --minor) {
                out.push_back("manylinux_" + version_text({max.first, minor}, "_") + "_" + p.arch);
                if (max.first == 2) {
                    if (auto it = legacy.find(minor); it != legacy.end()) {
                        out.push_back(std::string(it->second) + "_" + p.arch);
                    }
                }
            }
        }
    } else if (p.libc == Libc::musl) {
        for (int minor = p.version->second; minor >= 0; --minor) {
            out.push_back("musllinux_" + version_text({p.version->first, minor}, "_") + "_" +
                          p.arch);
        }
    }
    out.push_back("linux_" + p.arch);
    return out;
}

/// packaging's `cpython_tags` followed by `compatible_tags` (= `sys_tags` for CPython).
std::vector<Tag> cpython_sys_tags(int minor, const std::vector<std::string>& platforms) {
    std::string nodot = "3" + std::to_string(minor);
    std::string interpreter = "cp" + nodot;
    std::string abi = interpreter + (minor < 8 ? "m" : "");  // pymalloc builds before 3.8
    bool abi3 = minor >= 2;
    std::vector<Tag> out;
    auto all = [&](const std::string& interp, const std::string& a) {
        for (const auto& p : platforms)
            out.push_back(Tag{interp, a, p});
    };
    all(interpreter, abi);
    if (abi3)
        all(interpreter, "abi3");
    all(interpreter, "none");
    if (abi3) {
        for (int m = minor - 1; m > 1; --m)
            all("cp3" + std::to_string(m), "abi3");
    }
    std::vector<std::string> py_range{"py" + nodot, "py3"};
    for (int m = minor - 1; m >= 0; --m)
        py_range.push_back("py3" + std::to_string(m));
    for (const auto& py : py_range)
        all(py, "none");
    out.push_back(Tag{interpreter, "none", "any"});
    for (const auto& py : py_range)
        out.push_back(Tag{py, "none", "any"});
    return out;
}

std::optional<Version> parse_dotted(std::string_view text) {
    auto dot = text.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    auto canonical = [](std::string_view digits) {  // no leading zero: "3.012" is not 3.12
        return digits.size() == 1 || (!digits.empty() && digits.front() != '0');
    };
    auto major = to_int(text.substr(0, dot));
    auto minor = to_int(text.substr(dot + 1));
    if (!major || !minor || !canonical(text.substr(0, dot)) || !canonical(text.substr(dot + 1))) {
        return std::nullopt;
    }
    return Version{*major, *minor};
}

}  // namespace

struct Target::Compiled {
    std::string python, platform, implementation;  // what it was computed from
    Platform parsed;
    int python_minor = 0;
    int python_patch = 0;
    std::vector<Tag> tags;
    std::unordered_map<Tag, std::size_t> index;
};

Target Target::make(std::string name, std::string python, std::string platform,
                    std::string implementation, std::optional<std::string> cuda,
                    std::optional<std::string> subdir) {
    if (name.empty() || name.front() == '.' || !std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
        })) {
        throw Error("invalid target name " + quote(name) +
                    ": use letters, digits, `.`, `_` and `-` (it becomes part of file names such "
                    "as pylock.<target>.toml)")
            .with_hint("for example name = \"linux-py312-cu124\"");
    }
    // `3.N` or `3.N.P`: the patch release counts for markers and Requires-Python, the minor
    // version for tags.
    std::string_view minor_text = python;
    std::optional<int> patch;
    bool patch_ok = true;
    auto first = python.find('.');
    auto second = first == std::string::npos ? first : python.find('.', first + 1);
    if (second != std::string::npos) {
        minor_text = std::string_view(python).substr(0, second);
        std::string_view patch_text = std::string_view(python).substr(second + 1);
        patch = to_int(patch_text);
        patch_ok = patch && (patch_text.size() == 1 || patch_text.front() != '0');
    }
    auto version = parse_dotted(minor_text);
    if (!version || version->first != 3 || !patch_ok) {
        throw Error("invalid python version " + quote(python) + ": expected `3.N` or `3.N.P`")
            .with_hint(
                "write the version the target runs, e.g. python = \"3.12\" or \"3.12.4\" (the "
                "patch release matters only to markers and Requires-Python)");
    }
    if (implementation != "cp") {
        throw Error("unsupported implementation " + quote(implementation) +
                    ": only CPython (`cp`) targets are supported")
            .with_hint("remove `implementation` from the target or set it to \"cp\"");
    }
    auto compiled = std::make_shared<Compiled>();
    compiled->parsed = parse_platform(platform);
    if (cuda) {
        if (!parse_dotted(*cuda)) {
            throw Error("invalid cuda version " + quote(*cuda) + ": expected `N.M`")
                .with_hint("write the CUDA major and minor version, e.g. cuda = \"12.4\"");
        }
        if (compiled->parsed.os == Os::macos) {
            throw Error("the macOS platform " + quote(platform) + " cannot have cuda " +
                        quote(*cuda) + ": CUDA does not run on macOS")
                .with_hint("remove `cuda` from this target");
        }
    }
    if (subdir) {
        static const std::pair<const char*, Os> known[] = {
            {"linux-64", Os::linux},     {"linux-32", Os::linux},     {"linux-aarch64", Os::linux},
            {"linux-armv6l", Os::linux}, {"linux-armv7l", Os::linux}, {"linux-ppc64le", Os::linux},
            {"linux-ppc64", Os::linux},  {"linux-s390x", Os::linux},  {"linux-riscv64", Os::linux},
            {"win-64", Os::windows},     {"win-32", Os::windows},     {"win-arm64", Os::windows},
            {"osx-64", Os::macos},       {"osx-arm64", Os::macos}};
        auto it = std::find_if(std::begin(known), std::end(known),
                               [&](const auto& k) { return *subdir == k.first; });
        if (it == std::end(known)) {
            throw Error("unknown conda subdir " + quote(*subdir))
                .with_hint(
                    "use one of linux-64, linux-aarch64, linux-ppc64le, linux-s390x, win-64, "
                    "win-arm64, osx-64 or osx-arm64, or remove `subdir` (the platform "
                    "implies it)");
        }
        if (it->second != compiled->parsed.os) {
            throw Error("the conda subdir " + quote(*subdir) +
                        " is for another operating system "
                        "than the platform " +
                        quote(platform))
                .with_hint("remove `subdir`; the platform implies it");
        }
    }
    compiled->python = python;
    compiled->platform = platform;
    compiled->implementation = implementation;
    compiled->python_minor = version->second;
    compiled->python_patch = patch.value_or(0);
    compiled->tags =
        cpython_sys_tags(version->second, platform_tags(compiled->parsed, compiled->platform));
    compiled->index.reserve(compiled->tags.size());
    for (std::size_t i = 0; i < compiled->tags.size(); ++i) {
        compiled->index.emplace(compiled->tags[i], i);  // keeps the first (best) position
    }

    Target t;
    t.name = std::move(name);
    t.python = std::move(python);
    t.platform = std::move(platform);
    t.implementation = std::move(implementation);
    t.cuda = std::move(cuda);
    t.subdir = std::move(subdir);
    t.compiled_ = std::move(compiled);
    return t;
}

const Target::Compiled& Target::compiled() const {
    if (!compiled_ || compiled_->python != python || compiled_->platform != platform ||
        compiled_->implementation != implementation) {
        throw Error("internal error: target " + quote(name) +
                        " was not built with Target::make or was changed afterwards",
                    Exit::internal);
    }
    return *compiled_;
}

pep508::Environment Target::environment() const {
    const auto& c = compiled();
    pep508::Environment env;
    env.implementation_name = "cpython";
    env.platform_python_implementation = "CPython";
    env.python_version = python_minor();
    env.python_full_version = python_full_version();
    env.implementation_version = env.python_full_version;
    env.platform_machine = arch();
    switch (c.parsed.os) {
        case Os::linux:
            env.sys_platform = "linux";
            env.platform_system = "Linux";
            env.os_name = "posix";
            break;
        case Os::windows:
            env.sys_platform = "win32";
            env.platform_system = "Windows";
            env.os_name = "nt";
            break;
        case Os::macos:
            env.sys_platform = "darwin";
            env.platform_system = "Darwin";
            env.os_name = "posix";
            break;
    }
    return env;
}

std::string Target::python_minor() const {
    return "3." + std::to_string(compiled().python_minor);
}

std::string Target::python_full_version() const {
    const auto& c = compiled();
    return "3." + std::to_string(c.python_minor) + "." + std::to_string(c.python_patch);
}

const std::vector<tags::Tag>& Target::supported_tags() const {
    return compiled().tags;
}

std::optional<std::size_t> Target::rank(const std::vector<tags::Tag>& wheel_tags) const {
    const auto& index = compiled().index;
    std::optional<std::size_t> best;
    for (const auto& tag : wheel_tags) {
        if (auto it = index.find(tag); it != index.end() && (!best || it->second < *best)) {
            best = it->second;
        }
    }
    return best;
}

std::optional<std::string> Target::cuda_local_label() const {
    if (!cuda)
        return std::nullopt;
    auto version = parse_dotted(*cuda);
    if (!version)
        return std::nullopt;
    return "cu" + std::to_string(version->first) + std::to_string(version->second);
}

std::optional<std::pair<int, int>> Target::glibc() const {
    const auto& p = compiled().parsed;
    return p.libc == Libc::glibc ? p.version : std::nullopt;
}

std::optional<std::pair<int, int>> Target::musl() const {
    const auto& p = compiled().parsed;
    return p.libc == Libc::musl ? p.version : std::nullopt;
}

std::optional<std::pair<int, int>> Target::macos_version() const {
    const auto& p = compiled().parsed;
    return p.os == Os::macos ? p.version : std::nullopt;
}

Os Target::os() const {
    return compiled().parsed.os;
}

Libc Target::libc() const {
    return compiled().parsed.libc;
}

std::string Target::arch() const {
    const auto& p = compiled().parsed;
    if (p.os == Os::windows) {
        if (p.arch == "amd64")
            return "AMD64";
        if (p.arch == "arm64")
            return "ARM64";
        return "x86";
    }
    return p.arch;
}

std::string Target::conda_subdir() const {
    if (subdir)
        return *subdir;
    const auto& p = compiled().parsed;
    switch (p.os) {
        case Os::windows:
            return p.arch == "amd64" ? "win-64" : p.arch == "arm64" ? "win-arm64" : "win-32";
        case Os::macos:
            return p.arch == "arm64" ? "osx-arm64" : "osx-64";
        case Os::linux:
            break;
    }
    if (p.arch == "x86_64")
        return "linux-64";
    if (p.arch == "i686")
        return "linux-32";
    return "linux-" + p.arch;
}

std::vector<VirtualPackage> Target::virtual_packages() const {
    const auto& p = compiled().parsed;
    std::vector<VirtualPackage> out;
    std::string subdir = conda_subdir();
    std::string machine = subdir.substr(subdir.find('-') + 1);
    if (machine == "64")
        machine = "x86_64";
    else if (machine == "32")
        machine = "x86";
    out.push_back({"__archspec", "1", machine});
    if (cuda)
        out.push_back({"__cuda", *cuda, "0"});
    if (p.os == Os::linux) {
        if (p.libc == Libc::glibc && p.version)
            out.push_back({"__glibc", version_text(*p.version, "."), "0"});
        out.push_back({"__linux", "5.10", "0"});
    }
    if (p.os == Os::macos)
        out.push_back({"__osx", version_text(*p.version, "."), "0"});
    if (p.os != Os::windows)
        out.push_back({"__unix", "0", "0"});
    if (p.os == Os::windows)
        out.push_back({"__win", "0", "0"});
    return out;
}

}  // namespace airlock::target

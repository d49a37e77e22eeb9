#include "installer/host/interpreter.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "installer/host/process.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace airlock::host {
namespace {

constexpr std::string_view kProbe = R"PY(
import json, os, platform, sys
import importlib.util as u
d = {
    "implementation": sys.implementation.name,
    "version": list(sys.version_info[:3]),
    "machine": platform.machine(),
    "system": platform.system(),
    "in_venv": sys.prefix != getattr(sys, "base_prefix", sys.prefix),
    "has_pip": u.find_spec("pip") is not None,
    "has_venv": u.find_spec("venv") is not None and u.find_spec("ensurepip") is not None,
    "glibc": None, "tags": None, "tag_source": None,
}
try:
    d["glibc"] = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
except Exception:
    pass
for name in ("packaging.tags", "pip._vendor.packaging.tags"):
    try:
        m = __import__(name, fromlist=["sys_tags"])
        d["tags"] = [str(t) for t in m.sys_tags()]
        d["tag_source"] = name
        break
    except Exception:
        pass
print(json.dumps(d))
)PY";

std::string python_tag_name(std::string_view implementation) {
    if (implementation == "cpython")
        return "CPython";
    if (implementation == "pypy")
        return "PyPy";
    return std::string(implementation);
}

std::vector<std::string> linux_platforms(std::string_view machine,
                                         const std::optional<std::string>& glibc) {
    std::vector<std::string> out;
    std::string arch(machine);
    if (glibc) {
        int glibc_minor = 0;
        auto dot = glibc->find('.');
        if (dot != std::string::npos)
            glibc_minor = std::atoi(glibc->c_str() + dot + 1);
        const bool legacy_arch = arch == "x86_64" || arch == "i686";
        const bool v2014_arch = legacy_arch || arch == "aarch64" || arch == "ppc64" ||
                                arch == "ppc64le" || arch == "s390x" || arch == "armv7l";
        const int lowest = legacy_arch ? 5 : 17;
        for (int m = glibc_minor; m >= lowest; --m) {
            out.push_back("manylinux_2_" + std::to_string(m) + "_" + arch);
            if (m == 17 && v2014_arch)
                out.push_back("manylinux2014_" + arch);
            if (m == 12 && legacy_arch)
                out.push_back("manylinux2010_" + arch);
            if (m == 5 && legacy_arch)
                out.push_back("manylinux1_" + arch);
        }
    }
    out.push_back("linux_" + arch);
    return out;
}

}  // namespace

std::string_view probe_script() {
    return kProbe;
}

std::string Interpreter::python_version() const {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::string Interpreter::name_and_version() const {
    return python_tag_name(implementation) + " " + python_version() + "." + std::to_string(micro);
}

std::string Interpreter::describe() const {
    std::string out = name_and_version() + " on " + system + " " + machine;
    if (glibc)
        out += " glibc " + *glibc;
    return out;
}

std::vector<std::string> Interpreter::platform_tags() const {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& tag : tags) {
        auto second = tag.find('-', tag.find('-') + 1);
        if (second == std::string::npos)
            continue;
        auto platform = tag.substr(second + 1);
        if (platform == "any")
            continue;
        if (seen.insert(platform).second)
            out.push_back(platform);
    }
    return out;
}

std::vector<std::string> computed_tags(int major, int minor, std::string_view system,
                                       std::string_view machine,
                                       const std::optional<std::string>& glibc) {
    std::vector<std::string> platforms;
    if (system == "Linux") {
        platforms = linux_platforms(machine, glibc);
    } else if (system == "Windows") {
        platforms.push_back(machine == "ARM64"                            ? "win_arm64"
                            : (machine == "AMD64" || machine == "x86_64") ? "win_amd64"
                                                                          : "win32");
    } else {
        platforms.push_back(ascii_lower(std::string(system) + "_" + std::string(machine)));
    }
    const std::string v = std::to_string(major) + std::to_string(minor);
    const std::string cp = "cp" + v;
    std::vector<std::string> tags;
    for (const auto& p : platforms) {
        tags.push_back(cp + "-" + cp + "-" + p);
        tags.push_back(cp + "-abi3-" + p);
        tags.push_back(cp + "-none-" + p);
    }
    for (int m = minor - 1; m >= 2; --m)
        for (const auto& p : platforms)
            tags.push_back("cp" + std::to_string(major) + std::to_string(m) + "-abi3-" + p);
    for (const auto& p : platforms) {
        tags.push_back("py" + v + "-none-" + p);
        tags.push_back("py" + std::to_string(major) + "-none-" + p);
        for (int m = minor - 1; m >= 0; --m)
            tags.push_back("py" + std::to_string(major) + std::to_string(m) + "-none-" + p);
    }
    tags.push_back("py" + v + "-none-any");
    tags.push_back("py" + std::to_string(major) + "-none-any");
    for (int m = minor - 1; m >= 0; --m)
        tags.push_back("py" + std::to_string(major) + std::to_string(m) + "-none-any");
    return tags;
}

Interpreter parse_probe(std::string_view json, const std::filesystem::path& python) {
    Interpreter in;
    in.executable = python;
    try {
        auto d = nlohmann::json::parse(json);
        in.implementation = d.at("implementation").get<std::string>();
        auto version = d.at("version");
        in.major = version.at(0).get<int>();
        in.minor = version.at(1).get<int>();
        in.micro = version.at(2).get<int>();
        in.machine = d.at("machine").get<std::string>();
        in.system = d.at("system").get<std::string>();
        in.in_venv = d.value("in_venv", false);
        in.has_pip = d.value("has_pip", false);
        in.has_venv = d.value("has_venv", false);
        if (d.contains("glibc") && d["glibc"].is_string())
            in.glibc = d["glibc"].get<std::string>();
        if (d.contains("tags") && d["tags"].is_array()) {
            in.tags = d["tags"].get<std::vector<std::string>>();
            auto source = d.value("tag_source", std::string());
            in.tag_source =
                source == "packaging.tags" ? TagSource::packaging : TagSource::pip_vendored;
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error("the interpreter " + quote(python.string()) +
                    " gave an unreadable answer to the probe: " + e.what())
            .with_hint("check that it is a working CPython 3 interpreter");
    }
    if (in.tags.empty()) {
        in.tags = computed_tags(in.major, in.minor, in.system, in.machine, in.glibc);
        in.tag_source = TagSource::computed;
    }
    return in;
}

Interpreter probe_interpreter(const std::filesystem::path& python) {
    Captured result;
    try {
        result =
            capture({{python.string(), "-I", "-c", std::string(kProbe)}, isolated_environment()});
    } catch (Error& e) {
        throw e.within("probing the Python interpreter " + quote(python.string()));
    }
    if (result.status != 0) {
        auto err =
            result.err.size() > 2000 ? result.err.substr(result.err.size() - 2000) : result.err;
        throw Error("the interpreter " + quote(python.string()) + " failed to run a probe (exit " +
                    std::to_string(result.status) + ")" + (err.empty() ? "" : ":\n" + err))
            .with_hint("pass a working Python 3 interpreter with --python");
    }
    return parse_probe(result.out, python);
}

}  // namespace airlock::host

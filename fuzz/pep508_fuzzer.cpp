/// PEP 508 requirements and environment markers (core/pep508). The first line of the input is
/// parsed as a requirement and as a marker; the rest, when there is any, is the `extra` markers
/// are evaluated with. Properties: the normal form parses again to an equal value with the same
/// normal form, and evaluates the same on two target environments.

#include "core/pep508/marker.hpp"
#include "core/pep508/requirement.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

pep508::Environment linux_py312() {
    pep508::Environment env;
    env.implementation_name = "cpython";
    env.implementation_version = "3.12.1";
    env.os_name = "posix";
    env.platform_machine = "x86_64";
    env.platform_python_implementation = "CPython";
    env.platform_system = "Linux";
    env.python_full_version = "3.12.1";
    env.python_version = "3.12";
    env.sys_platform = "linux";
    return env;
}

pep508::Environment windows_py38() {
    pep508::Environment env;
    env.implementation_name = "cpython";
    env.implementation_version = "3.8.10";
    env.os_name = "nt";
    env.platform_machine = "AMD64";
    env.platform_python_implementation = "CPython";
    env.platform_release = "10";
    env.platform_system = "Windows";
    env.platform_version = "10.0.19045";
    env.python_full_version = "3.8.10";
    env.python_version = "3.8";
    env.sys_platform = "win32";
    return env;
}

/// The marker's value on `env`, or nullopt when it throws (an undefined comparison).
std::optional<bool> evaluate(const pep508::Marker& marker, const pep508::Environment& env,
                             std::string_view extra) {
    std::optional<bool> out;
    accepted([&] { out = marker.evaluate(env, extra); });
    return out;
}

void marker_property(std::string_view text, std::string_view extra) {
    std::optional<pep508::Marker> marker;
    if (!accepted([&] { marker = pep508::Marker::parse(text); }))
        return;
    auto normal = marker->to_string();
    std::optional<pep508::Marker> again;
    must_accept([&] { again = pep508::Marker::parse(normal); },
                "Marker: the normal form does not parse", normal);
    check(again->to_string() == normal, "Marker: the normal form is not stable", normal);
    for (const auto& env : {linux_py312(), windows_py38()}) {
        check(evaluate(*marker, env, extra) == evaluate(*again, env, extra),
              "Marker: the normal form evaluates differently", normal);
    }
}

void requirement_property(std::string_view text, std::string_view extra) {
    std::optional<pep508::Requirement> requirement;
    if (!accepted([&] { requirement = pep508::Requirement::parse(text); }))
        return;
    auto normal = requirement->to_string();
    std::optional<pep508::Requirement> again;
    must_accept([&] { again = pep508::Requirement::parse(normal); },
                "Requirement: the normal form does not parse", normal);
    check(*again == *requirement, "Requirement: the normal form parses to another requirement",
          normal);
    check(again->to_string() == normal, "Requirement: the normal form is not stable", normal);
    check(again->normalized_name() == requirement->normalized_name(),
          "Requirement: the normal form has another name", normal);
    for (const auto& env : {linux_py312(), windows_py38()}) {
        std::optional<bool> a, b;
        accepted([&] { a = requirement->applies_to(env, extra); });
        accepted([&] { b = again->applies_to(env, extra); });
        check(a == b, "Requirement: the normal form applies differently", normal);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [first, extra] = fuzz::split_first_line(fuzz::as_text(data, size));
    requirement_property(first, extra);
    marker_property(first, extra);
    return 0;
}

#pragma once
/// What every fuzz target shares: the one outcome a parser may have besides success is an
/// airlock::Error (core/base/error.hpp); any other exception, and any broken property (a parsed
/// value that does not print and parse back to itself), aborts with a message so that libFuzzer
/// (or the corpus replay, replay_main.cpp) reports the input.

#include "core/base/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace airlock::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
    if (!detail.empty())
        std::fprintf(stderr, "  %.*s\n", static_cast<int>(detail.size()), detail.data());
    std::abort();
}

/// Aborts with `what` and `detail` unless `ok`.
inline void check(bool ok, std::string_view what, std::string_view detail = {}) {
    if (!ok)
        fail(what, detail);
}

/// Runs `body`. An airlock::Error is the parser refusing the input, which is fine; it returns
/// false then. Any other exception escaping a parser is a bug: abort, naming it.
template <class F>
bool accepted(F&& body) {
    try {
        body();
        return true;
    } catch (const Error& e) {
        check(!std::string_view(e.what()).empty(), "an airlock::Error with an empty message");
        return false;
    } catch (const std::exception& e) {
        fail("an exception other than airlock::Error escaped", e.what());
    } catch (...) {
        fail("a non-std exception escaped");
    }
}

/// Runs `body`, which must not throw: an airlock::Error fails with `what`, `input` and the
/// error's message (for "the normal form parses again" properties).
template <class F>
void must_accept(F&& body, std::string_view what, std::string_view input) {
    try {
        body();
    } catch (const Error& e) {
        fail(what, std::string(input) + "\n  refused: " + e.what());
    } catch (const std::exception& e) {
        fail("an exception other than airlock::Error escaped", e.what());
    }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// The input split at its first newline: for targets that take two strings (a version and a
/// specifier, a requirement and an extra). Without a newline the second part is empty.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos)
        return {text, {}};
    return {text.substr(0, nl), text.substr(nl + 1)};
}

}  // namespace airlock::fuzz

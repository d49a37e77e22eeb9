#pragma once
/// PEP 503 name normalisation for the names found in file names and metadata. A stand-in kept
/// in one place so that it can be swapped for core/pep503 once that module lands.

#include <string>
#include <string_view>

namespace airlock::wheel {

/// Runs of `-`, `_` and `.` become one `-`; ASCII letters are lower-cased ("Foo__Bar" → "foo-bar").
std::string normalize_project_name(std::string_view name);

}  // namespace airlock::wheel

#pragma once
/// PEP 503 project name normalisation (https://peps.python.org/pep-0503/#normalized-names) and
/// the PEP 508 rule for what a project name may be.

#include <string>
#include <string_view>

namespace airlock::pep503 {

/// Runs of `-`, `_` and `.` become one `-`, letters become lower case: `Foo.Bar__baz` →
/// `foo-bar-baz`. The key under which names (and extras) are compared.
std::string normalize(std::string_view name);

/// PEP 508: ASCII letters and digits, with `.`, `-`, `_` allowed inside (not first or last).
bool is_valid_name(std::string_view name);

}  // namespace airlock::pep503

#pragma once
/// TOML (v1.0.0) string literals for the files airlock writes by hand in a fixed key order
/// (bundle manifests, PEP 751 locks): the same value always gives the same text.

#include <string>
#include <string_view>
#include <vector>

namespace airlock {

/// A literal string '…' when the value holds `"` and can be written literally (markers read
/// better that way), else a basic string "…" with `"`, `\` and control characters escaped.
std::string toml_string(std::string_view value);

/// An inline array of strings: ["a", "b"].
std::string toml_string_array(const std::vector<std::string>& values);

}  // namespace airlock

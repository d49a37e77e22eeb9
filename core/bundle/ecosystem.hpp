#pragma once
/// The package ecosystems a bundle target carries (bundle format 2): `conda` (packages under
/// `conda/<subdir>/`, installed into a prefix) and `pip` (wheels under `wheels/`).

#include <optional>
#include <string_view>
#include <vector>

namespace airlock::bundle {

/// In the manifest's sort order: `conda` before `pip`.
enum class Ecosystem { conda, pip };

/// `conda` or `pip`.
std::string_view ecosystem_name(Ecosystem ecosystem);
/// The ecosystem named `name` exactly, or nullopt.
std::optional<Ecosystem> parse_ecosystem(std::string_view name);

/// Sorted and without duplicates: the form the manifest writes.
std::vector<Ecosystem> sorted_ecosystems(std::vector<Ecosystem> ecosystems);

}  // namespace airlock::bundle

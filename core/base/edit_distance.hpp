#pragma once
/// Levenshtein distance, and the "did you mean" pick built on it (ninja's edit_distance.h).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace airlock {

/// Insertions, deletions and substitutions (each costing 1) that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidates closest to `word` (at most `limit`, nearest first, then alphabetical), among
/// those within a distance that a typo explains: at most 2, and less than half the word.
std::vector<std::string> closest_words(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

}  // namespace airlock

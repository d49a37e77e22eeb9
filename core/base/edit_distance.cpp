#include "core/base/edit_distance.hpp"

#include <algorithm>
#include <utility>

namespace airlock {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::vector<std::string> closest_words(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t limit) {
    const std::size_t max = std::min<std::size_t>(2, (word.size() + 1) / 2);
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const auto& c : candidates) {
        if (c == word)
            continue;
        // Lengths that differ by more than `max` cannot be within it: skip the work.
        const std::size_t diff =
            c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
        if (diff > max)
            continue;
        if (auto d = edit_distance(word, c); d <= max)
            near.emplace_back(d, c);
    }
    std::sort(near.begin(), near.end());
    near.erase(std::unique(near.begin(), near.end()), near.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < near.size() && i < limit; ++i)
        out.push_back(near[i].second);
    return out;
}

}  // namespace airlock

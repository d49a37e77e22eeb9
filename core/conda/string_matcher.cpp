#include "core/conda/string_matcher.hpp"

#include "core/conda/glob.hpp"

namespace airlock::conda {

StringMatcher::StringMatcher(std::string pattern)
    : pattern_(std::move(pattern)), glob_(pattern_.find('*') != std::string::npos) {}

bool StringMatcher::matches(std::string_view value) const {
    return glob_ ? glob_match(pattern_, value) : value == pattern_;
}

std::optional<std::string> StringMatcher::exact() const {
    if (glob_)
        return std::nullopt;
    return pattern_;
}

}  // namespace airlock::conda

#pragma once
/// Platform compatibility tags (PEP 425, as maintained in the PyPA "Platform compatibility tags"
/// specification): `interpreter-abi-platform` triples and compressed tag sets.

#include <compare>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::tags {

/// One `interpreter-abi-platform` triple, always lower-case ("cp312", "abi3", "win_amd64").
struct Tag {
    std::string interpreter;
    std::string abi;
    std::string platform;

    /// "cp312-cp312-manylinux_2_28_x86_64".
    std::string to_string() const;

    friend bool operator==(const Tag&, const Tag&) = default;
    friend auto operator<=>(const Tag&, const Tag&) = default;
};

/// Expands a compressed tag set such as `py2.py3-none-any` or
/// `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64` into its tags, in the order
/// interpreter × abi × platform (as packaging's `parse_tag`). Tags are lower-cased.
/// Throws airlock::Error quoting the text when it is not three non-empty `-`-separated parts.
std::vector<Tag> parse_tag_set(std::string_view text);

/// The same, nullopt instead of an error.
std::optional<std::vector<Tag>> try_parse_tag_set(std::string_view text);

/// Tags joined by ", " for messages: "cp312-cp312-win_amd64, py3-none-any".
std::string to_string(const std::vector<Tag>& tags);

std::ostream& operator<<(std::ostream& out, const Tag& tag);

}  // namespace airlock::tags

template <>
struct std::hash<airlock::tags::Tag> {
    std::size_t operator()(const airlock::tags::Tag& tag) const noexcept;
};

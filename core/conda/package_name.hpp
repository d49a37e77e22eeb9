#pragma once
/// A conda package name
/// (https://docs.conda.io/projects/conda-build/en/latest/resources/package-spec.html): ASCII
/// letters, digits, `_`, `-` and `.`, compared in lower case. Names come from channels and become
/// parts of paths, so the constructor refuses anything else: separators, control characters,
/// spaces, the empty string, and a leading `.` or `-` (so never `..` or an option).

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::conda {

class PackageName {
  public:
    /// Throws airlock::Error quoting the input when `text` is not a valid name.
    static PackageName parse(std::string_view text);
    static std::optional<PackageName> try_parse(std::string_view text);
    /// Whether `text` would parse.
    static bool is_valid(std::string_view text);

    /// Lower case: the key for comparisons, index lookups and file names (`pytorch`).
    const std::string& normalized() const { return normalized_; }
    /// As written in the source (`PyYAML` stays `PyYAML`).
    const std::string& source() const { return source_; }
    /// Virtual packages start with `__` (`__cuda`, `__glibc`).
    bool is_virtual() const { return normalized_.starts_with("__"); }

    friend bool operator==(const PackageName& a, const PackageName& b) {
        return a.normalized_ == b.normalized_;
    }
    friend std::strong_ordering operator<=>(const PackageName& a, const PackageName& b) {
        return a.normalized_ <=> b.normalized_;
    }

  private:
    std::string source_;
    std::string normalized_;
};

}  // namespace airlock::conda

template <>
struct std::hash<airlock::conda::PackageName> {
    std::size_t operator()(const airlock::conda::PackageName& n) const noexcept {
        return std::hash<std::string>{}(n.normalized());
    }
};

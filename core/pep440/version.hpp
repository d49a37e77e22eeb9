#pragma once
/// PEP 440 versions (https://peps.python.org/pep-0440/): parsing with every normalisation
/// spelling, the normal form, and the full ordering (epochs, pre/post/dev, local labels).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pep440 {

/// The pre-release phase, in PEP 440 order: `a` < `b` < `rc`.
enum class PreKind : std::uint8_t { alpha, beta, rc };

struct Pre {
    PreKind kind = PreKind::alpha;
    std::uint64_t number = 0;
    friend auto operator<=>(const Pre&, const Pre&) = default;
};

class Version {
  public:
    /// The version `0`.
    Version();

    /// Parses any PEP 440 spelling (`v1.0`, `1.0RC1`, `1.0-post1`, `1.0.dev`, ` 1.0 `…);
    /// throws airlock::Error quoting the input and saying what is wrong.
    static Version parse(std::string_view text);
    /// As parse(), but nullopt instead of an error: for "is this a version?" lookups.
    static std::optional<Version> try_parse(std::string_view text);

    std::uint64_t epoch() const { return epoch_; }
    const std::vector<std::uint64_t>& release() const { return release_; }
    std::optional<Pre> pre() const;
    std::optional<std::uint64_t> post() const;
    std::optional<std::uint64_t> dev() const;
    /// The normalised local label without `+` (`cu124`, `ubuntu.1`); empty when there is none.
    const std::string& local() const { return local_; }

    bool is_prerelease() const { return has_pre_ || has_dev_; }  ///< pre or dev
    bool is_postrelease() const { return has_post_; }
    bool is_devrelease() const { return has_dev_; }
    bool has_local() const { return !local_.empty(); }

    /// This version without its local label: `2.5.1+cu124` → `2.5.1`.
    Version public_version() const;
    /// Epoch and release only: `1!2.0rc1.post2+x` → `1!2.0`.
    Version base_version() const;

    /// The PEP 440 normal form: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`.
    std::string to_string() const;

    /// PEP 440 order; `1.0 == 1.0.0` (trailing zeros of the release do not count).
    std::strong_ordering operator<=>(const Version& other) const;
    /// PEP 440 order of the public versions (local labels ignored): what ordered specifier
    /// clauses compare. Allocates nothing, unlike `public_version() <=> other`.
    std::strong_ordering compare_public(const Version& other) const;
    bool operator==(const Version& other) const { return (*this <=> other) == 0; }

    /// Consistent with operator==.
    std::size_t hash() const;

  private:
    friend struct VersionParser;

    std::uint64_t epoch_ = 0;
    std::vector<std::uint64_t> release_;
    std::uint64_t pre_number_ = 0;
    std::uint64_t post_ = 0;
    std::uint64_t dev_ = 0;
    std::string local_;
    PreKind pre_kind_ = PreKind::alpha;
    bool has_pre_ = false;
    bool has_post_ = false;
    bool has_dev_ = false;
};

}  // namespace airlock::pep440

template <>
struct std::hash<airlock::pep440::Version> {
    std::size_t operator()(const airlock::pep440::Version& v) const noexcept { return v.hash(); }
};

#pragma once
/// Conda version specs, as conda's `VersionSpec` reads them (conda/models/version.py):
///
///     *                      any version
///     1.2                    exactly 1.2 (== 1.2.0); in a MatchSpec `name=1.2` means 1.2.*
///     1.2.*   1.2*   =1.2    starts with 1.2 (component-wise: 1.2.3 yes, 1.20 no)
///     1.2**                  starts with the version `1.2*` (a `*` run is a component), as
///                            conda reads it; shown as `=1.2*.*` (`1.2*.*` is a glob)
///     ==1.2  !=1.2  <1.2  <=1.2  >1.2  >=1.2
///     !=1.2.*                does not start with 1.2
///     >=1.2.*  <2.*          the `.*` is ignored (conda warns it is superfluous)
///     ~=1.2.3                >=1.2.3 and starts with 1.2
///     1.*.3   *.cuda         globs with `*` inside, matched against the version as written
///     >=1,<2|>=3             `,` (and) binds tighter than `|` (or); parentheses group
///
/// Regular-expression specs (`^1\.2.*$`) are refused: they are not needed by real channels and
/// a spec from a channel is untrusted input.

#include "core/conda/version.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

class VersionSpec {
  public:
    /// Any version (`*`).
    VersionSpec();

    /// Throws airlock::Error quoting the input with a caret under the offending part.
    static VersionSpec parse(std::string_view text);
    static std::optional<VersionSpec> try_parse(std::string_view text);

    bool matches(const Version& version) const;

    /// Whether this is `*` (matches everything).
    bool is_any() const { return root_.kind == Kind::any; }
    /// The version when the spec is one exact version (`1.2`, `==1.2`), else nullopt.
    std::optional<Version> exact() const;

    /// conda's spelling: leaves as written (`1.2*` shown as `1.2.*`), `,` and `|` without
    /// spaces, parentheses only where `|` sits inside `,`.
    std::string to_string() const;

  private:
    friend struct VersionSpecParser;

    enum class Kind : std::uint8_t {
        any,              ///< `*`
        all_of,           ///< `a,b`
        any_of,           ///< `a|b`
        equal,            ///< `==v` or a bare `v`
        not_equal,        ///< `!=v`
        less,             ///< `<v`
        less_equal,       ///< `<=v`
        greater,          ///< `>v`
        greater_equal,    ///< `>=v`
        starts_with,      ///< `v.*`, `v*`, `=v`
        not_starts_with,  ///< `!=v.*`
        compatible,       ///< `~=v`: >= v and starts with `prefix`
        glob,             ///< `1.*.3`: `text` matched against Version::source()
    };

    struct Node {
        Kind kind = Kind::any;
        std::string text;  ///< the leaf as displayed (or the glob pattern)
        Version version;
        Version prefix;  ///< for `compatible`
        std::vector<Node> children;
    };

    static bool matches(const Node& node, const Version& version);
    static void print(const Node& node, bool inside_and, std::string& out);

    Node root_;
};

}  // namespace airlock::conda

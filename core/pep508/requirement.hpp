#pragma once
/// PEP 508 dependency specifiers (https://peps.python.org/pep-0508/):
/// `name[extra1,extra2] (>=1.0,<2) ; marker` and `name[extra] @ url ; marker`.

#include "core/pep440/specifier.hpp"
#include "core/pep508/environment.hpp"
#include "core/pep508/marker.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::pep508 {

struct Requirement {
    std::string name;                 ///< as written
    std::vector<std::string> extras;  ///< PEP 503-normalised, sorted, unique
    pep440::SpecifierSet specifier;   ///< empty when none (or with a URL)
    std::optional<std::string> url;   ///< `name @ url`
    std::optional<Marker> marker;     ///< after `;`

    /// Parses one PEP 508 requirement; whitespace may surround every part, the specifier may
    /// be parenthesised. `#` comments are not PEP 508 and are rejected, and so are line breaks
    /// (a trailing `\n` or `\r` too). Throws airlock::Error
    /// with the input and a `~~~^` under the offending part.
    static Requirement parse(std::string_view text);

    /// PEP 503: `Foo_Bar` → `foo-bar`.
    std::string normalized_name() const;

    /// The marker holds in `environment` (with `extra` for the requirements of an extra); true
    /// without a marker.
    bool applies_to(const Environment& environment, std::string_view extra = {}) const;

    /// Normal form: `name[a,b]<2,>=1.0; python_version >= "3.8"`, `name @ url ; marker`.
    std::string to_string() const;

    /// Equal as packaging compares them: names normalised (`scikit_learn` equals
    /// `scikit-learn`), the same extras, specifier clauses (`==2.8.0` equals `==2.8`), URL and
    /// marker.
    bool operator==(const Requirement& other) const;
};

}  // namespace airlock::pep508

#pragma once
/// Core metadata (the "Core metadata specifications", versions 1.0–2.4): the fields dependency
/// resolution needs, from a wheel's `.dist-info/METADATA`, a PEP 658 `.metadata` file or an
/// sdist's PKG-INFO.

#include <string>
#include <string_view>
#include <vector>

namespace airlock::wheel {

struct CoreMetadata {
    std::string metadata_version;            ///< "2.1"; empty when the field is absent
    std::string name;                        ///< as written
    std::string version;                     ///< as written; consumers parse it (PEP 440)
    std::vector<std::string> requires_dist;  ///< PEP 508 requirement strings, in file order
    std::string requires_python;             ///< specifier set text; empty when absent
    std::vector<std::string> provides_extra;

    /// Parses RFC 822 style headers (case-insensitive names, continuation lines starting with
    /// space or tab, CRLF or LF) up to the first blank line; the body (the description) is
    /// ignored. A line that is neither a header nor a continuation ends the headers, as in
    /// Python's email parser which pip uses. `origin` names the input in errors (a wheel file
    /// name or URL). Throws airlock::Error when Name or Version is missing.
    static CoreMetadata parse(std::string_view text, std::string_view origin);
};

}  // namespace airlock::wheel

#pragma once
/// Source distribution file names (the "Source distribution format" specification, plus the
/// legacy archive forms still found on indexes): `{name}-{version}.tar.gz` and friends.

#include <optional>
#include <string>
#include <string_view>

namespace airlock::wheel {

struct SdistFilename {
    std::string name;             ///< as written ("python-dateutil")
    std::string normalized_name;  ///< PEP 503 form
    std::string version;          ///< as written; consumers parse it
    std::string extension;        ///< ".tar.gz", ".zip", ".tar.bz2", ".tar.xz" or ".tgz"
};

/// Recognises `.tar.gz`, `.zip`, `.tar.bz2`, `.tar.xz` and `.tgz` sdists. Without knowing the
/// project, the name and version are split on the last `-` whose right part starts with a
/// digit. Used to say "only an sdist exists"; nullopt for anything else.
std::optional<SdistFilename> try_parse_sdist(std::string_view filename);

}  // namespace airlock::wheel

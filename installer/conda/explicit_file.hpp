#pragma once
/// conda's explicit environment file (`conda list --explicit`, `conda create --file`): comment
/// lines, `@EXPLICIT`, then one package URL a line, optionally `#<sha256>` or `#<md5>`. A bundle's
/// `airlock/conda.<target>.txt` lists its conda packages this way, in install order. Its text is
/// untrusted: each URL's last two path segments become `conda/<subdir>/<filename>`, so both are
/// checked (a conda subdir, a conda package file name) before they name anything.

#include <string>
#include <string_view>
#include <vector>

namespace airlock::install::conda {

struct ExplicitPackage {
    std::string url;       ///< as written (without the `#hash`); printable, no credentials
    std::string channel;   ///< the URL without `/<subdir>/<filename>`
    std::string subdir;    ///< checked: a conda subdir
    std::string filename;  ///< checked: a conda package file name
    std::string sha256;    ///< lowercase hex, or empty when the line carries none
    std::string md5;       ///< lowercase hex, or empty

    /// `conda/<subdir>/<filename>`: the package's path inside a bundle.
    std::string bundle_path() const { return "conda/" + subdir + "/" + filename; }
};

/// The packages of an explicit file, in its order. Throws Error naming the line for a file
/// without `@EXPLICIT`, a URL with credentials or control characters, a bad subdir or file name,
/// or a malformed hash.
std::vector<ExplicitPackage> parse_explicit_file(std::string_view text);

}  // namespace airlock::install::conda

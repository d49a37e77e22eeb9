#pragma once
/// The bundle's `airlock/requirements.<target>.txt` (pip's requirements-file format) before pip
/// reads it: only what airlock-build writes may be in it — comments, and `name==version` pins
/// each with one or more `--hash=sha256:<64 hex>` (continued with `\`). Anything else (pip
/// options such as `--index-url`, `--find-links` or `-r FILE`, URLs, paths, markers) is refused:
/// signed or not, it would let pip reach beyond the bundle's verified wheels.

#include <string>
#include <string_view>

namespace airlock::install {

/// Throws Error naming `name` (the file's path in the bundle), the line and its text (escaped).
void check_requirements_text(std::string_view text, const std::string& name);

/// Reads `path` and checks it as above.
void check_requirements_file(const std::string& path, const std::string& name);

}  // namespace airlock::install

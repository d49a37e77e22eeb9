#include "core/wheel/sdist_filename.hpp"

#include "core/pep503/name.hpp"
#include "core/wheel/project_name.hpp"

namespace airlock::wheel {

std::optional<SdistFilename> try_parse_sdist(std::string_view filename) {
    // Longest first so that `.tar.gz` is not mistaken for something ending in `.gz`.
    static constexpr std::string_view extensions[] = {".tar.bz2", ".tar.gz", ".tar.xz", ".tgz",
                                                      ".zip"};
    for (auto extension : extensions) {
        if (filename.size() <= extension.size() ||
            filename.substr(filename.size() - extension.size()) != extension) {
            continue;
        }
        std::string_view stem = filename.substr(0, filename.size() - extension.size());
        if (stem.find('/') != std::string_view::npos)
            return std::nullopt;
        for (auto dash = stem.rfind('-'); dash != std::string_view::npos && dash > 0;
             dash = stem.rfind('-', dash - 1)) {
            std::string_view version = stem.substr(dash + 1);
            if (version.empty() || version.front() < '0' || version.front() > '9')
                continue;
            std::string_view name = stem.substr(0, dash);
            // `pkg-1,-1,0.tgz` is no project's sdist: PEP 508 names only.
            if (!pep503::is_valid_name(name))
                return std::nullopt;
            return SdistFilename{std::string(name), normalize_project_name(name),
                                 std::string(version), std::string(extension)};
        }
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace airlock::wheel

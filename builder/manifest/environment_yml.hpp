#pragma once
/// conda's `environment.yml` as an input (`airlock-build lock --environment FILE`):
///
/// ```yaml
/// name: torch-lab            # the bundle's name
/// channels: [pytorch, conda-forge, nodefaults]
/// dependencies:
///   - python=3.12            # conda specs → [conda] specs
///   - pip:                   # pip requirements-file lines → [python] (relative to this file)
///       - requests==2.32.3
///       - -r extra.txt
/// ```
/// `defaults` stays `defaults` (the manifest expands it through .condarc's `default_channels`,
/// else Anaconda's main and r channels), `nodefaults` is dropped, `prefix` is ignored; other
/// keys are refused. Without `channels`, .condarc's channels are used (as conda does); without
/// those either, conda dependencies are an error. Read with yaml-cpp.

#include "builder/manifest/requirements_file.hpp"
#include "core/base/source_excerpt.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

struct EnvironmentFile {
    std::string name;                           ///< empty when the file has none
    std::vector<std::string> channels;          ///< names or URLs, in priority order
    std::vector<SourceLocation> channel_where;  ///< one per channel
    std::vector<std::string> specs;             ///< conda MatchSpecs as written
    std::vector<SourceLocation> where;          ///< one per spec
    RequirementsFile pip;                       ///< the `pip:` section
};

/// Whether .condarc gives channels, for an environment file that lists none.
enum class CondarcChannels { none, given };

/// Reads and checks `path`. Throws Error (Exit::user) with `file:line:col` and a caret.
EnvironmentFile read_environment_file(const std::filesystem::path& path,
                                      CondarcChannels condarc = CondarcChannels::none);

/// Parses environment.yml text; `path` names it in messages and anchors `-r` includes.
EnvironmentFile parse_environment_text(std::string_view text, const std::filesystem::path& path,
                                       CondarcChannels condarc = CondarcChannels::none);

}  // namespace airlock::manifest

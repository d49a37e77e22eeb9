#pragma once
/// pip's requirements file format
/// (https://pip.pypa.io/en/stable/reference/requirements-file-format/) as an INPUT (`airlock-build
/// lock --requirements FILE`); builder/lock/requirements_txt.hpp writes them. Read: PEP 508 lines
/// (markers kept), `\` continuations, `#` comments, `-r`/`-c` includes (relative to the including
/// file), `--hash` pins (pip's hash-checking mode: once one requirement has a hash, every
/// requirement needs one and an `==` pin), `--index-url`,
/// `--extra-index-url`, `--find-links`, `--no-index`, `--pre`. Refused, saying what to do
/// instead: `-e`, paths and URLs, `--no-binary` and the options airlock has no use for.

#include "core/base/source_excerpt.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

/// One requirement or constraint line.
struct RequirementLine {
    std::string text;                 ///< the PEP 508 requirement, marker included
    std::string name;                 ///< PEP 503-normalised
    std::vector<std::string> sha256;  ///< from `--hash=sha256:…`, lower-case hex
    SourceLocation where;
};

/// A URL option (`--index-url`, …) and where it was given.
struct UrlLine {
    std::string url;  ///< as written (`${VAR}` kept: the manifest expands it)
    SourceLocation where;
};

struct RequirementsFile {
    std::vector<RequirementLine> requirements;  ///< every file's, includes expanded, in order
    std::vector<RequirementLine> constraints;   ///< from `-c` files
    std::vector<UrlLine> index_urls;            ///< `--index-url`/`-i`: the last one counts
    std::vector<UrlLine> extra_index_urls;
    std::vector<UrlLine> find_links;
    bool no_index = false;
    bool pre = false;
    bool require_hashes = false;  ///< `--require-hashes`, or any `--hash`
};

/// Reads `path` (and what it includes) into `out`; `constraint` reads it as a `-c` file (its
/// requirements become constraints). Throws Error (Exit::user) with `file:line:col` and a caret.
void read_requirements_file(const std::filesystem::path& path, RequirementsFile& out,
                            bool constraint = false);

/// Parses requirements text; `path` names it in messages and anchors relative includes.
void parse_requirements_text(std::string_view text, const std::filesystem::path& path,
                             RequirementsFile& out, bool constraint = false);

/// pip's hash-checking mode, checked once every file is read: when any requirement has a hash
/// (or `--require-hashes` was given), every requirement needs `--hash` and an exact pin (`==`
/// without `*`, or `===`). Throws Error pointing at the first requirement that breaks it.
void check_hash_mode(const RequirementsFile& file);

}  // namespace airlock::manifest

#pragma once
/// Static pages of a PEP 503 "Simple Repository API" index (with the PEP 592/PEP 345
/// `data-requires-python` attribute and `#sha256=` fragments), served as-is by any web server.

#include <string>
#include <string_view>
#include <vector>

namespace airlock::exporter {

struct IndexFile {
    std::string filename;         ///< "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl"
    std::string sha256;           ///< lowercase hex
    std::string requires_python;  ///< specifier text from METADATA; empty when absent
};

/// `&`, `<`, `>`, `"` and `'` as character references.
std::string html_escape(std::string_view text);
/// Percent-encodes everything outside RFC 3986's unreserved set (`+` becomes `%2B`).
std::string url_path_escape(std::string_view segment);

/// `simple/index.html`: one link per normalized project name (`<a href="name/">name</a>`).
std::string render_root_index(const std::vector<std::string>& normalized_names);

/// `simple/<name>/index.html`: one link per file, `href="<files_prefix><file>#sha256=<hex>"`.
std::string render_project_page(std::string_view normalized_name,
                                const std::vector<IndexFile>& files,
                                std::string_view files_prefix = "../../files/");

}  // namespace airlock::exporter

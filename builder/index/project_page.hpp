#pragma once
/// A project's file list from a simple repository page: PEP 503 HTML or PEP 691 JSON, with
/// PEP 592 yanking, PEP 658/714 core metadata and PEP 700 sizes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::index {

struct DistFile {
    std::string filename;  ///< percent-decoded: torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl
    std::string url;       ///< absolute, resolved against the page URL, no fragment
    std::vector<std::string> mirror_urls;  ///< the same file under each mirror (relative hrefs)
    std::map<std::string, std::string> hashes;        ///< lowercase algorithm → lowercase hex
    std::optional<std::string> requires_python;       ///< entities decoded: ">=3.9"
    std::optional<std::string> yanked;                ///< the reason; "" when yanked without one
    bool has_core_metadata = false;                   ///< PEP 658: `<url>.metadata` exists
    std::optional<std::string> core_metadata_sha256;  ///< its sha256 when the index gives it
    std::optional<std::uint64_t> size;

    /// The sha256 of the file itself when known.
    std::optional<std::string> sha256() const;
};

struct ProjectPage {
    std::string name;        ///< as the page gives it (JSON `name`), else the requested name
    std::string url;         ///< the page URL that answered
    std::string index_name;  ///< the [[index]] it came from
    std::string index_url;   ///< that index's primary root
    std::vector<DistFile> files;
};

/// Parses a PEP 503 HTML page. Tolerant like pip: any `<a href>` is a file; attributes in any
/// quoting; `<base href>` honoured; `#sha256=` fragments become hashes.
ProjectPage parse_html_page(std::string_view html, std::string_view page_url);

/// Parses a PEP 691 JSON page. Throws airlock::Error on malformed JSON, naming the URL.
ProjectPage parse_json_page(std::string_view json, std::string_view page_url);

/// Chooses the parser from the Content-Type (sniffing the body when it is missing).
ProjectPage parse_project_page(std::string_view body, std::string_view content_type,
                               std::string_view page_url);

/// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;`, `&#xHH;` (unknown ones kept).
std::string decode_html_entities(std::string_view text);

}  // namespace airlock::index

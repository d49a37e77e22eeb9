#include "installer/conda/explicit_file.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/conda/package_filename.hpp"

#include <algorithm>

namespace airlock::install::conda {
namespace {

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

ExplicitPackage parse_line(std::string_view line) {
    ExplicitPackage p;
    std::string_view url = line;
    if (auto hash = line.rfind('#'); hash != std::string_view::npos) {
        std::string_view digest = line.substr(hash + 1);
        url = line.substr(0, hash);
        if (digest.size() == 64 && is_hex(digest))
            p.sha256 = digest;
        else if (digest.size() == 32 && is_hex(digest))
            p.md5 = digest;
        else
            throw Error("the hash after `#` is neither a sha256 nor an md5 (lowercase hex)");
    }
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            throw Error("the URL holds a space or control character");
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos || scheme == 0)
        throw Error("not a URL (no scheme://)");
    auto host_end = url.find('/', scheme + 3);
    if (url.substr(scheme + 3, host_end - (scheme + 3)).find('@') != std::string_view::npos)
        throw Error("the URL carries a user or password");
    auto last = url.rfind('/');
    if (last == std::string_view::npos || last <= scheme + 2)
        throw Error("the URL has no /<subdir>/<file name>");
    auto before = url.rfind('/', last - 1);
    if (before == std::string_view::npos || before <= scheme + 2)
        throw Error("the URL has no /<subdir>/<file name>");
    p.filename = url.substr(last + 1);
    p.subdir = url.substr(before + 1, last - before - 1);
    bundle::CondaSubdir checked_subdir(p.subdir);
    airlock::conda::PackageFilename::parse(p.filename);
    p.channel = url.substr(0, before);
    p.url = url;
    return p;
}

}  // namespace

std::vector<ExplicitPackage> parse_explicit_file(std::string_view text) {
    std::vector<ExplicitPackage> out;
    bool explicit_seen = false;
    std::size_t number = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view raw = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++number;
        std::string_view line = ascii_trim(raw, " \t\r");
        if (line.empty() || line.front() == '#')
            continue;
        if (line == "@EXPLICIT") {
            explicit_seen = true;
            continue;
        }
        if (!explicit_seen)
            throw Error("line " + std::to_string(number) + ": " + quote(terminal_text(line)) +
                        " comes before the `@EXPLICIT` line");
        out.push_back(within("line " + std::to_string(number) + ": " + quote(terminal_text(line)),
                             [&] { return parse_line(line); }));
    }
    if (!explicit_seen)
        throw Error("no `@EXPLICIT` line: not an explicit conda environment file");
    return out;
}

}  // namespace airlock::install::conda

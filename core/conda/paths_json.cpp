#include "core/conda/paths_json.hpp"

#include "core/base/error.hpp"
#include "core/bundle/checked_text.hpp"
#include "core/digest/sha256.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace airlock::conda {
namespace {

using nlohmann::json;

std::string checked_path(std::string_view path, std::string_view where) {
    if (!bundle::is_safe_relative_path(path))
        throw Error(std::string(where) + ": unsafe path " + quote(path) +
                    " (absolute, `..`, empty component, backslash or control character)");
    return std::string(path);
}

std::string checked_placeholder(std::string_view text, const std::string& path) {
    if (text.empty() || text.find('\0') != std::string_view::npos ||
        text.find('\n') != std::string_view::npos || text.find('\r') != std::string_view::npos)
        throw Error("the prefix placeholder of " + quote(path) +
                    " is empty or holds NUL or a line break");
    return std::string(text);
}

void sort_and_check(std::vector<PathsEntry>& entries) {
    std::sort(entries.begin(), entries.end(),
              [](const PathsEntry& a, const PathsEntry& b) { return a.path < b.path; });
    for (std::size_t i = 1; i < entries.size(); ++i)
        if (entries[i].path == entries[i - 1].path)
            throw Error(quote(entries[i].path) + " is listed twice");
}

/// Splits one has_prefix line into words; `"` quotes a word holding spaces.
std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        std::string word;
        if (line[i] == '"') {
            std::size_t end = line.find('"', i + 1);
            if (end == std::string_view::npos)
                throw Error("unbalanced quote in " + quote(line));
            word = line.substr(i + 1, end - i - 1);
            i = end + 1;
        } else {
            std::size_t end = line.find_first_of(" \t", i);
            if (end == std::string_view::npos)
                end = line.size();
            word = line.substr(i, end - i);
            i = end;
        }
        out.push_back(std::move(word));
    }
    return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!line.empty())
            out.push_back(line);
        start = end + 1;
    }
    return out;
}

}  // namespace

std::string_view to_string(PathType type) {
    switch (type) {
        case PathType::hardlink:
            return "hardlink";
        case PathType::softlink:
            return "softlink";
        case PathType::directory:
            return "directory";
    }
    return "hardlink";
}

std::string_view to_string(FileMode mode) {
    return mode == FileMode::binary ? "binary" : "text";
}

PathsJson PathsJson::parse(std::string_view text) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("info/paths.json is not a JSON object");
    auto version = doc.find("paths_version");
    if (version == doc.end() || !version->is_number_integer() || version->get<int>() != 1)
        throw Error("info/paths.json: unsupported `paths_version` (only 1 is known)");
    auto paths = doc.find("paths");
    if (paths == doc.end() || !paths->is_array())
        throw Error("info/paths.json: `paths` is not a list");
    PathsJson out;
    out.entries.reserve(paths->size());
    for (const auto& item : *paths) {
        if (!item.is_object())
            throw Error("info/paths.json: an entry of `paths` is not an object");
        auto p = item.find("_path");
        if (p == item.end() || !p->is_string())
            throw Error("info/paths.json: an entry has no `_path`");
        PathsEntry e;
        e.path = checked_path(p->get_ref<const std::string&>(), "info/paths.json");
        auto string_field = [&](const char* key) -> std::optional<std::string> {
            auto f = item.find(key);
            if (f == item.end() || f->is_null())
                return std::nullopt;
            if (!f->is_string())
                throw Error("info/paths.json: `" + std::string(key) + "` of " + quote(e.path) +
                            " is not a string");
            return f->get<std::string>();
        };
        auto type = string_field("path_type").value_or("hardlink");
        if (type == "hardlink")
            e.type = PathType::hardlink;
        else if (type == "softlink")
            e.type = PathType::softlink;
        else if (type == "directory")
            e.type = PathType::directory;
        else
            throw Error("info/paths.json: unknown path_type " + quote(type) + " of " +
                        quote(e.path));
        if (auto sha = string_field("sha256")) {
            if (sha->size() != 64 || !digest::is_sha256_hex(*sha))
                throw Error("info/paths.json: the sha256 of " + quote(e.path) +
                            " is not 64 hex digits");
            std::transform(sha->begin(), sha->end(), sha->begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
            e.sha256 = std::move(*sha);
        }
        if (auto f = item.find("size_in_bytes"); f != item.end() && !f->is_null()) {
            if (!f->is_number_unsigned() &&
                !(f->is_number_integer() && f->get<std::int64_t>() >= 0))
                throw Error("info/paths.json: size_in_bytes of " + quote(e.path) +
                            " is not a non-negative integer");
            e.size = f->get<std::uint64_t>();
        }
        if (auto ph = string_field("prefix_placeholder"))
            e.prefix_placeholder = checked_placeholder(*ph, e.path);
        if (auto mode = string_field("file_mode")) {
            if (*mode == "text")
                e.file_mode = FileMode::text;
            else if (*mode == "binary")
                e.file_mode = FileMode::binary;
            else
                throw Error("info/paths.json: unknown file_mode " + quote(*mode) + " of " +
                            quote(e.path));
        }
        if (auto f = item.find("no_link"); f != item.end() && f->is_boolean())
            e.no_link = f->get<bool>();
        out.entries.push_back(std::move(e));
    }
    within("info/paths.json", [&] { sort_and_check(out.entries); });
    return out;
}

PathsJson PathsJson::from_legacy(std::string_view files, std::string_view has_prefix,
                                 std::string_view no_link) {
    PathsJson out;
    out.legacy = true;
    std::map<std::string, std::size_t> index;
    for (auto line : lines_of(files)) {
        PathsEntry e;
        e.path = checked_path(line, "info/files");
        out.entries.push_back(std::move(e));
    }
    within("info/files", [&] { sort_and_check(out.entries); });
    for (std::size_t i = 0; i < out.entries.size(); ++i)
        index[out.entries[i].path] = i;
    for (auto line : lines_of(has_prefix)) {
        auto words = split_words(line);
        std::string placeholder(default_placeholder);
        FileMode mode = FileMode::text;
        std::string path;
        if (words.size() == 1) {
            path = words[0];
        } else if (words.size() == 3) {
            placeholder = words[0];
            if (words[1] == "binary")
                mode = FileMode::binary;
            else if (words[1] != "text")
                throw Error("info/has_prefix: unknown mode " + quote(words[1]));
            path = words[2];
        } else {
            throw Error("info/has_prefix: cannot read the line " + quote(line));
        }
        auto it = index.find(path);
        if (it == index.end())
            throw Error("info/has_prefix names " + quote(path) + ", which info/files lacks");
        auto& e = out.entries[it->second];
        e.prefix_placeholder = checked_placeholder(placeholder, path);
        e.file_mode = mode;
    }
    for (auto line : lines_of(no_link)) {
        if (auto it = index.find(std::string(line)); it != index.end())
            out.entries[it->second].no_link = true;
    }
    return out;
}

const PathsEntry* PathsJson::find(std::string_view path) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), path,
                               [](const PathsEntry& e, std::string_view p) { return e.path < p; });
    return it != entries.end() && it->path == path ? &*it : nullptr;
}

}  // namespace airlock::conda

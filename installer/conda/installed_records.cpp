#include "installer/conda/installed_records.hpp"

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/bundle/checked_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace airlock::install::conda {
namespace fs = std::filesystem;
namespace {

std::string text_field(const nlohmann::json& j, const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            throw Error(std::string("it has no ") + key);
        return {};
    }
    if (!it->is_string())
        throw Error(std::string("its ") + key + " is not a string");
    return it->get<std::string>();
}

/// A name, version or build: one plain path component.
void check_component(const std::string& value, const char* what) {
    if (value.empty() || value.find('/') != std::string::npos ||
        !bundle::is_safe_relative_path(value))
        throw Error(std::string("its ") + what + " " + quote(terminal_text(value)) +
                    " is not a plain name");
}

InstalledRecord parse(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error("cannot read it");
    std::ostringstream s;
    s << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(s.str());
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("it is not JSON: ") + e.what());
    }
    if (!j.is_object())
        throw Error("it is not a JSON object");
    InstalledRecord r;
    r.record_file = file.filename().string();
    r.name = text_field(j, "name", true);
    r.version = text_field(j, "version", true);
    r.build = text_field(j, "build", true);
    check_component(r.name, "name");
    check_component(r.version, "version");
    check_component(r.build, "build");
    if (r.record_file != r.stem() + ".json")
        throw Error("it records " + quote(terminal_text(r.stem())) + ", not what its name says");
    r.sha256 = text_field(j, "sha256", false);
    r.channel = text_field(j, "channel", false);
    r.subdir = text_field(j, "subdir", false);
    if (!bundle::is_plain_text(r.channel, 1024) || !bundle::is_plain_text(r.subdir, 64))
        throw Error("its channel or subdir is not plain text");
    if (auto n = j.find("noarch"); n != j.end())
        r.noarch_python = (n->is_string() && *n == "python") ||
                          (n->is_object() && n->value("type", std::string()) == "python");
    auto files = j.find("files");
    if (files != j.end() && !files->is_null()) {
        if (!files->is_array())
            throw Error("its files is not a list");
        for (const auto& f : *files) {
            if (!f.is_string())
                throw Error("its files list holds a value that is not a string");
            auto path = f.get<std::string>();
            if (!bundle::is_safe_relative_path(path))
                throw Error("its files list holds the unsafe path " + quote(terminal_text(path)));
            if (path == "conda-meta" || path.starts_with("conda-meta/"))
                throw Error("its files list holds " + quote(path) + ", inside conda-meta/");
            r.files.push_back(std::move(path));
        }
    }
    return r;
}

}  // namespace

std::vector<InstalledRecord> read_installed_records(const fs::path& prefix) {
    const fs::path meta = prefix / "conda-meta";
    std::vector<fs::path> names;
    std::error_code ec;
    for (fs::directory_iterator it(meta, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json" && it->is_regular_file())
            names.push_back(it->path());
    if (ec)
        throw Error("cannot read " + quote(meta.string()) + ": " + ec.message());
    std::sort(names.begin(), names.end());
    std::vector<InstalledRecord> out;
    for (const auto& n : names)
        out.push_back(
            within("the record " + quote(terminal_text(n.string())), [&] { return parse(n); }));
    return out;
}

}  // namespace airlock::install::conda

#include "core/conda/index_json.hpp"

#include "core/base/error.hpp"

#include <nlohmann/json.hpp>

namespace airlock::conda {
namespace {

bool word_chars(std::string_view s, std::string_view extra) {
    if (s.empty() || s.size() > 200)
        return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  extra.find(c) != std::string_view::npos;
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace

IndexJson IndexJson::parse(std::string_view text) {
    using nlohmann::json;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("info/index.json is not a JSON object");
    auto str = [&](const char* key, bool required) -> std::string {
        auto f = doc.find(key);
        if (f == doc.end() || f->is_null()) {
            if (required)
                throw Error("info/index.json has no `" + std::string(key) + "`");
            return {};
        }
        if (!f->is_string())
            throw Error("info/index.json: `" + std::string(key) + "` is not a string");
        return f->get<std::string>();
    };
    IndexJson out;
    out.text = std::string(text);
    out.name = str("name", true);
    out.version = str("version", true);
    out.build = str("build", true);
    out.subdir = str("subdir", false);
    if (!word_chars(out.name, "_-.") || out.name.front() == '.' || out.name.front() == '-')
        throw Error("info/index.json: invalid package name " + quote(out.name));
    if (!word_chars(out.version, "_.+!*"))
        throw Error("info/index.json: invalid version " + quote(out.version));
    if (!word_chars(out.build, "_.+!") || out.build.front() == '.')
        throw Error("info/index.json: invalid build string " + quote(out.build));
    if (!out.subdir.empty() && !word_chars(out.subdir, "-_"))
        throw Error("info/index.json: invalid subdir " + quote(out.subdir));
    if (auto f = doc.find("build_number"); f != doc.end() && !f->is_null()) {
        if (!f->is_number_unsigned())
            throw Error("info/index.json: `build_number` is not a non-negative integer");
        out.build_number = f->get<std::uint64_t>();
    }
    if (auto f = doc.find("noarch"); f != doc.end() && !f->is_null()) {
        if (f->is_boolean()) {
            out.noarch = f->get<bool>() ? "generic" : "";
        } else if (f->is_string()) {
            out.noarch = f->get<std::string>();
            if (out.noarch != "python" && out.noarch != "generic")
                throw Error("info/index.json: unknown noarch kind " + quote(out.noarch));
        } else {
            throw Error("info/index.json: `noarch` is neither a string nor a boolean");
        }
    }
    return out;
}

}  // namespace airlock::conda

#include "core/conda/link_json.hpp"

#include "core/base/ascii_space.hpp"
#include "core/base/error.hpp"

#include <nlohmann/json.hpp>

namespace airlock::conda {
namespace {

bool is_identifier(std::string_view s) {
    if (s.empty() || (s.front() >= '0' && s.front() <= '9'))
        return false;
    for (char c : s) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

bool is_dotted(std::string_view s) {
    std::size_t start = 0;
    while (true) {
        std::size_t dot = s.find('.', start);
        if (!is_identifier(s.substr(start, dot == std::string_view::npos ? dot : dot - start)))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

bool is_command(std::string_view s) {
    if (s.empty() || s.size() > 255 || s.front() == '.' || s.front() == '-')
        return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace

EntryPoint EntryPoint::parse(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return Error("invalid entry point " + quote(text) + ": " + why);
    };
    std::size_t eq = text.find('=');
    if (eq == std::string_view::npos)
        throw bad("expected `command = module:function`");
    EntryPoint e;
    e.command = ascii_trim(text.substr(0, eq), " \t");
    std::string_view target = ascii_trim(text.substr(eq + 1), " \t");
    std::size_t colon = target.find(':');
    if (colon == std::string_view::npos)
        throw bad("expected `module:function` after `=`");
    e.module = ascii_trim(target.substr(0, colon), " \t");
    e.function = ascii_trim(target.substr(colon + 1), " \t");
    if (!is_command(e.command))
        throw bad("the command name must be letters, digits, `_`, `-` and `.`");
    if (!is_dotted(e.module))
        throw bad("the module must be dotted Python identifiers");
    if (!is_dotted(e.function))
        throw bad("the function must be dotted Python identifiers");
    return e;
}

LinkJson LinkJson::parse(std::string_view text) {
    using nlohmann::json;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw Error("info/link.json is not a JSON object");
    LinkJson out;
    auto noarch = doc.find("noarch");
    if (noarch == doc.end() || !noarch->is_object())
        return out;
    if (auto t = noarch->find("type"); t != noarch->end()) {
        if (!t->is_string())
            throw Error("info/link.json: `noarch.type` is not a string");
        out.noarch = t->get<std::string>();
        if (out.noarch != "python" && out.noarch != "generic")
            throw Error("info/link.json: unknown noarch type " + quote(out.noarch));
    }
    if (auto eps = noarch->find("entry_points"); eps != noarch->end() && !eps->is_null()) {
        if (!eps->is_array())
            throw Error("info/link.json: `noarch.entry_points` is not a list");
        for (const auto& ep : *eps) {
            if (!ep.is_string())
                throw Error("info/link.json: an entry point is not a string");
            out.entry_points.push_back(
                within("info/link.json", [&] { return EntryPoint::parse(ep.get<std::string>()); }));
        }
    }
    return out;
}

}  // namespace airlock::conda

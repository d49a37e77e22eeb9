#include "builder/manifest/environment_yml.hpp"

#include "builder/manifest/target_fields.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <yaml-cpp/yaml.h>

namespace airlock::manifest {
namespace {

class Reader {
  public:
    Reader(std::string_view text, const std::filesystem::path& path) : text_(text), path_(path) {}

    SourceLocation at(const YAML::Mark& mark) const {
        return {path_.string(), static_cast<std::size_t>(mark.line + 1),
                static_cast<std::size_t>(mark.column + 1)};
    }

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message,
                           const std::string& hint = {}) const {
        auto where = at(mark);
        if (mark.line < 0)
            where = {path_.string(), 1, 1};
        Error error(source_excerpt(where, line_of(text_, where.line), message));
        if (!hint.empty())
            error.with_hint(hint);
        throw error;
    }

    std::string scalar(const YAML::Node& node, const std::string& what) const {
        if (!node.IsScalar())
            fail(node.Mark(), what + " must be a string");
        auto value = node.Scalar();
        if (value.empty())
            fail(node.Mark(), what + " must not be empty");
        return value;
    }

    std::string_view text_;
    std::filesystem::path path_;
};

void read_dependencies(const Reader& r, const YAML::Node& node, EnvironmentFile& out) {
    if (!node.IsSequence())
        r.fail(node.Mark(),
               "`dependencies` must be a list, e.g.\n  dependencies:\n    - python=3.12");
    for (const auto& item : node) {
        if (item.IsScalar()) {
            out.specs.push_back(r.scalar(item, "a dependency"));
            out.where.push_back(r.at(item.Mark()));
            continue;
        }
        if (!item.IsMap() || item.size() != 1 || !item["pip"]) {
            r.fail(item.Mark(),
                   "a dependency is a conda spec (`- numpy>=1.26`) or the `- pip:` list of pip "
                   "requirements");
        }
        const auto& pip = item["pip"];
        if (!pip.IsSequence())
            r.fail(
                pip.Mark(),
                "`pip:` must be a list of requirements, e.g.\n  - pip:\n      - requests==2.32.3");
        for (const auto& line : pip) {
            auto text = r.scalar(line, "a pip requirement");
            // Each entry is one requirements-file line (pip reads them so): parse it at its
            // own line of this file, so messages point there and `-r` is relative to it.
            std::string padded(static_cast<std::size_t>(line.Mark().line), '\n');
            padded += text;
            parse_requirements_text(padded, r.path_, out.pip);
        }
    }
}

}  // namespace

EnvironmentFile parse_environment_text(std::string_view text, const std::filesystem::path& path,
                                       CondarcChannels condarc) {
    Reader r(text, path);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        r.fail(e.mark, "invalid YAML: " + e.msg);
    }
    EnvironmentFile out;
    if (!root.IsMap()) {
        r.fail(root.Mark(),
               "an environment file is a YAML mapping with `name`, `channels` and "
               "`dependencies`");
    }
    for (const auto& entry : root) {
        auto key = entry.first.Scalar();
        const auto& value = entry.second;
        if (key == "name") {
            out.name = r.scalar(value, "`name`");
            if (!is_safe_name(out.name)) {
                r.fail(value.Mark(), "the name " + quote(out.name) +
                                         " becomes the bundle's name, which may only use "
                                         "letters, digits, `.`, `_` and `-`");
            }
        } else if (key == "channels") {
            if (!value.IsSequence())
                r.fail(value.Mark(), "`channels` must be a list, e.g. channels: [conda-forge]");
            for (const auto& channel : value) {
                auto name = r.scalar(channel, "a channel");
                if (name == "nodefaults")
                    continue;
                // `defaults` stays: the manifest expands it (.condarc's default_channels).
                out.channels.push_back(name);
                out.channel_where.push_back(r.at(channel.Mark()));
            }
        } else if (key == "dependencies") {
            read_dependencies(r, value, out);
        } else if (key == "prefix") {
            // Where conda would create it on this machine: the target decides instead.
        } else {
            r.fail(entry.first.Mark(), "unknown key " + quote(key) + " in the environment file",
                   key == "variables"
                       ? "airlock does not set environment variables in the target environment; "
                         "remove `variables`"
                       : "airlock reads `name`, `channels`, `dependencies` and `prefix`");
        }
    }
    if (out.specs.empty() && out.pip.requirements.empty()) {
        r.fail(root.Mark(), "the environment file lists no dependencies",
               "add `dependencies:` with conda specs and/or a `- pip:` list");
    }
    if (!out.specs.empty() && out.channels.empty() && condarc == CondarcChannels::none) {
        r.fail(root.Mark(),
               "the environment file lists conda dependencies but no `channels` (and no "
               ".condarc gives any)",
               "add e.g.\n  channels:\n    - conda-forge\nor list them under `channels:` in "
               "~/.condarc (or $CONDARC)");
    }
    return out;
}

EnvironmentFile read_environment_file(const std::filesystem::path& path, CondarcChannels condarc) {
    return parse_environment_text(read_file(path, "the environment file"), path, condarc);
}

}  // namespace airlock::manifest

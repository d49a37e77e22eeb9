#include "builder/manifest/condarc.hpp"

#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <system_error>

namespace airlock::manifest {
namespace {

[[noreturn]] void fail(std::string_view text, const std::filesystem::path& path,
                       const YAML::Mark& mark, const std::string& message) {
    SourceLocation where{path.string(), static_cast<std::size_t>(std::max(0, mark.line)) + 1,
                         static_cast<std::size_t>(std::max(0, mark.column)) + 1};
    throw Error(source_excerpt(where, line_of(text, where.line), message), Exit::user);
}

SourceLocation location(const std::filesystem::path& path, const YAML::Mark& mark) {
    return {path.string(), static_cast<std::size_t>(std::max(0, mark.line)) + 1,
            static_cast<std::size_t>(std::max(0, mark.column)) + 1};
}

std::string scalar(std::string_view text, const std::filesystem::path& path, const YAML::Node& node,
                   const std::string& key) {
    if (!node.IsScalar())
        fail(text, path, node.Mark(), quote(key) + " must be a string");
    return node.as<std::string>();
}

std::vector<SettingText> string_list(std::string_view text, const std::filesystem::path& path,
                                     const YAML::Node& node, const std::string& key) {
    if (!node.IsSequence())
        fail(text, path, node.Mark(),
             quote(key) + " must be a list, e.g.\n" + key + ":\n  - conda-forge");
    std::vector<SettingText> out;
    for (const auto& item : node)
        out.push_back({scalar(text, path, item, key), location(path, item.Mark())});
    return out;
}

/// conda's merge of sequences: later (higher-precedence) entries first, duplicates dropped.
void merge_list(std::vector<SettingText>& merged, const std::vector<SettingText>& later) {
    std::vector<SettingText> out = later;
    for (const auto& item : merged) {
        if (std::none_of(out.begin(), out.end(),
                         [&](const SettingText& o) { return o.text == item.text; }))
            out.push_back(item);
    }
    merged = std::move(out);
}

std::vector<SettingText> from_variable(const std::string& value, const std::string& name) {
    std::vector<SettingText> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find(',', start);
        auto item = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty())
            out.push_back({item, {name, 0, 0}});
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return out;
}

}  // namespace

std::vector<std::filesystem::path> condarc_search_path(const EnvLookup& env) {
    static const char* const templates[] = {
        "/etc/conda/.condarc",
        "/etc/conda/condarc",
        "/etc/conda/condarc.d/",
        "/var/lib/conda/.condarc",
        "/var/lib/conda/condarc",
        "/var/lib/conda/condarc.d/",
        "$CONDA_ROOT/.condarc",
        "$CONDA_ROOT/condarc",
        "$CONDA_ROOT/condarc.d/",
        "$XDG_CONFIG_HOME/conda/.condarc",
        "$XDG_CONFIG_HOME/conda/condarc",
        "$XDG_CONFIG_HOME/conda/condarc.d/",
        "~/.config/conda/.condarc",
        "~/.config/conda/condarc",
        "~/.config/conda/condarc.d/",
        "~/.conda/.condarc",
        "~/.conda/condarc",
        "~/.conda/condarc.d/",
        "~/.condarc",
        "$CONDA_PREFIX/.condarc",
        "$CONDA_PREFIX/condarc",
        "$CONDA_PREFIX/condarc.d/",
        "$CONDARC",
    };
    std::vector<std::filesystem::path> out;
    for (std::string_view entry : templates) {
        std::string expanded;
        if (entry.starts_with("~/")) {
            auto home = env("HOME");
            if (!home || home->empty())
                continue;
            expanded = *home + std::string(entry.substr(1));
        } else if (entry.starts_with("$")) {
            auto slash = entry.find('/');
            auto name = entry.substr(1, slash == std::string_view::npos ? entry.npos : slash - 1);
            auto value = env(name);
            if (!value || value->empty())
                continue;
            expanded = *value + std::string(slash == std::string_view::npos ? std::string_view()
                                                                            : entry.substr(slash));
        } else {
            expanded = std::string(entry);
        }
        out.push_back(expanded);
    }
    return out;
}

CondaRc parse_condarc(std::string_view text, const std::filesystem::path& path) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        fail(text, path, e.mark, "invalid YAML: " + e.msg);
    }
    CondaRc out;
    auto& rc = out.settings;
    if (!root || root.IsNull())
        return out;
    if (!root.IsMap())
        fail(text, path, root.Mark(), "a .condarc is a map of settings (`channels: [...]`)");
    if (auto node = root["channels"]; node && !node.IsNull())
        rc.channels = string_list(text, path, node, "channels");
    if (auto node = root["default_channels"]; node && !node.IsNull())
        rc.default_channels = string_list(text, path, node, "default_channels");
    if (auto node = root["channel_alias"]; node && !node.IsNull())
        rc.channel_alias =
            SettingText{scalar(text, path, node, "channel_alias"), location(path, node.Mark())};
    if (auto node = root["custom_channels"]; node && !node.IsNull()) {
        if (!node.IsMap())
            fail(text, path, node.Mark(),
                 "`custom_channels` must be a map, e.g.\ncustom_channels:\n  pytorch: "
                 "https://mirror.example/anaconda/cloud");
        for (const auto& entry : node) {
            auto name = scalar(text, path, entry.first, "custom_channels");
            rc.custom_channels[name] = {scalar(text, path, entry.second, "custom_channels"),
                                        location(path, entry.second.Mark())};
        }
    }
    return out;
}

CondaRc read_condarc(const EnvLookup& env) {
    CondaRc out;
    auto& merged = out.settings;
    auto take = [&](const std::filesystem::path& file) {
        auto text = read_file(file, "the conda configuration file");
        auto rc = parse_condarc(text, file).settings;
        out.files.push_back(file);
        merge_list(merged.channels, rc.channels);
        merge_list(merged.default_channels, rc.default_channels);
        if (rc.channel_alias)
            merged.channel_alias = rc.channel_alias;
        for (auto& [name, value] : rc.custom_channels)
            merged.custom_channels[name] = value;
    };
    for (const auto& entry : condarc_search_path(env)) {
        std::error_code ec;
        if (entry.string().ends_with('/')) {
            if (!std::filesystem::is_directory(entry, ec))
                continue;
            std::vector<std::filesystem::path> files;
            for (const auto& f : std::filesystem::directory_iterator(entry, ec)) {
                auto ext = f.path().extension().string();
                if (f.is_regular_file(ec) && (ext == ".yml" || ext == ".yaml"))
                    files.push_back(f.path());
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files)
                take(f);
        } else if (std::filesystem::is_regular_file(entry, ec)) {
            if (std::find(out.files.begin(), out.files.end(), entry) == out.files.end())
                take(entry);
        }
    }
    if (auto value = env("CONDA_CHANNELS"); value && !value->empty())
        merged.channels = from_variable(*value, "CONDA_CHANNELS");
    if (auto value = env("CONDA_DEFAULT_CHANNELS"); value && !value->empty())
        merged.default_channels = from_variable(*value, "CONDA_DEFAULT_CHANNELS");
    if (auto value = env("CONDA_CHANNEL_ALIAS"); value && !value->empty())
        merged.channel_alias = SettingText{*value, {"CONDA_CHANNEL_ALIAS", 0, 0}};
    return out;
}

}  // namespace airlock::manifest

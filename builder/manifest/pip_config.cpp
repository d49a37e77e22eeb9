#include "builder/manifest/pip_config.hpp"

#include "core/base/ascii_lower.hpp"
#include "core/base/error.hpp"
#include "core/base/read_file.hpp"

#include <algorithm>
#include <sstream>
#include <system_error>

namespace airlock::manifest {
namespace {

std::string trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

/// pip's _normalize_name: lower case, `_` → `-`, no leading `--`; plus the option's aliases.
std::string normalize_name(std::string_view name) {
    auto out = ascii_lower(name);
    std::replace(out.begin(), out.end(), '_', '-');
    if (out.starts_with("--"))
        out.erase(0, 2);
    if (out == "default-timeout")
        out = "timeout";
    else if (out == "i")
        out = "index-url";
    else if (out == "f")
        out = "find-links";
    return out;
}

std::vector<std::string> words(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::vector<std::string> out;
    for (std::string word; in >> word;)
        out.push_back(word);
    return out;
}

}  // namespace

const std::vector<std::string>& pip_setting_names() {
    static const std::vector<std::string> names{"index-url", "extra-index-url", "find-links",
                                                "no-index",  "trusted-host",    "cert",
                                                "timeout",   "retries"};
    return names;
}

const PipValue* PipConfig::get(std::string_view name) const {
    auto it = values.find(std::string(name));
    return it == values.end() ? nullptr : &it->second;
}

std::vector<std::filesystem::path> pip_config_files(const EnvLookup& env) {
    auto get = [&](std::string_view name) -> std::string {
        auto value = env(name);
        return value ? *value : std::string();
    };
    auto config_file = env("PIP_CONFIG_FILE");
    std::vector<std::filesystem::path> files;
    if (config_file && *config_file == "/dev/null")
        return files;  // pip: "setting it to os.devnull disables the loading of all files"
    std::string dirs = get("XDG_CONFIG_DIRS");
    if (dirs.empty())
        dirs = "/etc/xdg";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        auto dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty())
            files.push_back(std::filesystem::path(dir) / "pip" / "pip.conf");
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    files.push_back("/etc/pip.conf");
    std::error_code ec;
    bool config_file_exists =
        config_file && !config_file->empty() && std::filesystem::exists(*config_file, ec);
    auto home = get("HOME");
    if (!config_file_exists && !home.empty()) {
        files.push_back(std::filesystem::path(home) / ".pip" / "pip.conf");
        auto xdg = get("XDG_CONFIG_HOME");
        auto config_home =
            xdg.empty() ? std::filesystem::path(home) / ".config" : std::filesystem::path(xdg);
        files.push_back(config_home / "pip" / "pip.conf");
    }
    if (auto venv = get("VIRTUAL_ENV"); !venv.empty())
        files.push_back(std::filesystem::path(venv) / "pip.conf");
    if (config_file && !config_file->empty())
        files.push_back(*config_file);
    return files;
}

std::map<std::pair<std::string, std::string>, PipFileValue> parse_pip_config_file(
    std::string_view text) {
    std::map<std::pair<std::string, std::string>, PipFileValue> out;
    std::string section;
    PipFileValue* open = nullptr;  // the value continuation lines extend
    std::size_t number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        auto line =
            text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
        ++number;
        auto stripped = trim(line);
        if (stripped.empty() || stripped[0] == '#' || stripped[0] == ';')
            continue;
        bool indented = line[0] == ' ' || line[0] == '\t';
        if (indented && open) {
            open->text += "\n" + stripped;
            continue;
        }
        open = nullptr;
        if (stripped.front() == '[') {
            if (stripped.back() != ']')
                throw Error("line " + std::to_string(number) + ": a section header is `[name]`",
                            Exit::user);
            section = trim(std::string_view(stripped).substr(1, stripped.size() - 2));
            continue;
        }
        auto delimiter = stripped.find_first_of("=:");
        if (delimiter == std::string::npos || delimiter == 0)
            throw Error("line " + std::to_string(number) + ": expected `name = value`, got " +
                            quote(stripped),
                        Exit::user);
        if (section.empty())
            throw Error("line " + std::to_string(number) + ": " + quote(stripped) +
                            " comes before any [section]; put it under [global]",
                        Exit::user);
        auto name = normalize_name(trim(std::string_view(stripped).substr(0, delimiter)));
        auto& slot = out[{section, name}];
        slot = {trim(std::string_view(stripped).substr(delimiter + 1)), number};
        open = &slot;
    }
    return out;
}

PipConfig read_pip_config(const EnvLookup& env) {
    PipConfig config;
    // {section, name} → value and origin, later files overriding earlier ones.
    std::map<std::pair<std::string, std::string>, std::pair<PipFileValue, std::string>> merged;
    for (const auto& file : pip_config_files(env)) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
            continue;
        auto text = read_file(file, "the pip configuration file");
        auto values = within("reading pip's configuration file " + quote(file.string()),
                             [&] { return parse_pip_config_file(text); });
        config.files.push_back(file);
        for (auto& [key, value] : values)
            merged[key] = {value, file.string()};
    }
    for (const auto& name : pip_setting_names()) {
        for (const char* section : {"global", "install", "download"}) {
            auto it = merged.find({section, name});
            if (it == merged.end() || it->second.first.text.empty())
                continue;  // pip ignores empty values
            const auto& [value, file] = it->second;
            config.values[name] = {words(value.text),
                                   file + ":" + std::to_string(value.line) + " [" + section + "]",
                                   value.text};
        }
    }
    // PIP_<NAME> for each of the option's spellings (PIP_TIMEOUT, PIP_DEFAULT_TIMEOUT).
    for (const auto& name : pip_setting_names()) {
        std::vector<std::string> spellings{name};
        if (name == "timeout")
            spellings.push_back("default-timeout");
        for (const auto& spelling : spellings) {
            std::string variable = "PIP_";
            for (char c : spelling)
                variable += c == '-' ? '_' : static_cast<char>(std::toupper(c));
            auto value = env(variable);
            if (!value || trim(*value).empty())
                continue;
            config.values[name] = {words(*value), variable, trim(*value)};
            break;
        }
    }
    return config;
}

}  // namespace airlock::manifest

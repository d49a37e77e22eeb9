#pragma once
/// What the tests of the user-settings readers (pip.conf, .condarc) share: an environment made
/// from a map, and writing a settings file where its parent directories do not exist yet.

#include "builder/manifest/manifest.hpp"
#include "tests/support/cpp/file_bytes.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace airlock::manifest::settings_testing {

inline EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values](std::string_view name) -> std::optional<std::string> {
        auto it = values.find(std::string(name));
        if (it == values.end())
            return std::nullopt;
        return it->second;
    };
}

inline void write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    test_support::write_file(path, text);
}

}  // namespace airlock::manifest::settings_testing

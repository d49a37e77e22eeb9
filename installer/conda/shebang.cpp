#include "installer/conda/shebang.hpp"

namespace airlock::install::conda {

std::string replace_long_shebang(std::string data) {
    if (!data.starts_with("#!"))
        return data;
    std::size_t end = data.find('\n');
    if (end == std::string::npos)
        end = data.size();
    const std::string line = data.substr(0, end);
    std::size_t i = 2;
    while (i < line.size() && line[i] == ' ')
        ++i;
    if (i >= line.size() || line[i] != '/')
        return data;
    // The interpreter: up to the first unescaped space or tab (conda's SHEBANG_REGEX).
    std::size_t exe_start = i;
    while (i < line.size()) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == ' ') {
            i += 2;
            continue;
        }
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')
            break;
        ++i;
    }
    const std::string executable = line.substr(exe_start, i - exe_start);
    const std::string options = line.substr(i);
    const std::size_t slash = executable.rfind('/');
    const std::string dir = executable.substr(0, slash);
    const std::string name = executable.substr(slash + 1);
    if (line.size() <= max_shebang_length && dir.find("\\ ") == std::string::npos)
        return data;
    return "#!/usr/bin/env " + name + options + data.substr(end);
}

std::string entry_point_shebang(std::string_view python) {
    std::string shebang = "#!" + std::string(python) + "\n";
    if (shebang.size() <= max_shebang_length && python.find(' ') == std::string_view::npos)
        return shebang;
    return "#!/bin/sh\n'''exec' \"" + std::string(python) + "\" \"$0\" \"$@\"\n' '''\n";
}

}  // namespace airlock::install::conda

#pragma once
/// `info/link.json` of a `noarch: python` conda package: its kind and its entry points
/// (`command = module:function`, the console scripts the installer writes into `bin/`).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::conda {

struct EntryPoint {
    std::string command;   ///< a file name: letters, digits, `_`, `-`, `.` (not leading)
    std::string module;    ///< dotted Python identifiers: `pkg.cli`
    std::string function;  ///< dotted Python identifiers: `main` or `App.run`

    /// Parses `name = module:function` (spaces optional). Throws Error quoting the text.
    static EntryPoint parse(std::string_view text);
};

struct LinkJson {
    std::string noarch;  ///< `python`, `generic`, or empty
    std::vector<EntryPoint> entry_points;

    /// Parses `info/link.json`. Throws Error naming what is wrong.
    static LinkJson parse(std::string_view json);
};

}  // namespace airlock::conda

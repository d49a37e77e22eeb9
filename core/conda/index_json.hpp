#pragma once
/// What the prefix installer needs of a package's `info/index.json`: the identity (name, version,
/// build), its kind (`noarch`) and the whole object, which the installed record copies.
/// (To be folded into PackageRecord::from_json once both sides of the conda work have landed.)

#include <cstdint>
#include <string>
#include <string_view>

namespace airlock::conda {

struct IndexJson {
    std::string name;     ///< letters, digits, `_`, `-`, `.`; not starting with `.` or `-`
    std::string version;  ///< letters, digits, `_`, `.`, `+`, `!`, `*`
    std::string build;    ///< letters, digits, `_`, `.`, `+`, `!`
    std::uint64_t build_number = 0;
    std::string subdir;  ///< `linux-64`, `noarch`, … (may be empty in old packages)
    std::string noarch;  ///< `python`, `generic` or empty (`noarch: true` reads as generic)
    std::string text;    ///< the JSON object as read

    /// Parses and checks `info/index.json`. Throws Error naming the bad field.
    static IndexJson parse(std::string_view json);

    /// `name-version-build`: the package's file stem and its conda-meta record's name.
    std::string stem() const { return name + "-" + version + "-" + build; }
};

}  // namespace airlock::conda

#pragma once
/// The host the installer runs on (uname(2), confstr(3) _CS_GNU_LIBC_VERSION): OS, machine and C
/// library. Only installer/host/ looks at the machine; everything else takes a Target.

#include <optional>
#include <string>
#include <string_view>

namespace airlock::host {

struct Host {
    std::string system;                ///< "Linux", as Python's platform.system() spells it
    std::string machine;               ///< "x86_64", "aarch64"
    std::optional<std::string> glibc;  ///< "2.36"; nullopt on musl or when unknown

    /// "Linux x86_64 glibc 2.36".
    std::string describe() const;
};

Host probe_host();

/// Compares dotted numeric versions ("2.36" < "2.4" is false; "550.54.14" > "550.54.3");
/// missing components count as 0, non-digit suffixes are ignored. Returns <0, 0 or >0.
int compare_numeric(std::string_view a, std::string_view b);

}  // namespace airlock::host

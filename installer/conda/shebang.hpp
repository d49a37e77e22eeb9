#pragma once
/// Shebang lines in a conda prefix (conda/core/portability.py): the kernel reads at most 127
/// bytes of `#!…`, so a longer one — a deep prefix — becomes `#!/usr/bin/env NAME OPTIONS`, as it
/// does when the interpreter's path holds an escaped space.

#include <string>
#include <string_view>

namespace airlock::install::conda {

/// The kernel's limit on Linux and macOS.
inline constexpr std::size_t max_shebang_length = 127;

/// `data` with its first line rewritten to `#!/usr/bin/env NAME OPTIONS` when it is a shebang
/// (`#!`, optional spaces, an absolute interpreter path, options) longer than
/// max_shebang_length or whose interpreter's directory holds `\ `; otherwise unchanged.
std::string replace_long_shebang(std::string data);

/// The first lines of an entry-point script run by `python` (an absolute path): `#!python` when
/// that fits and has no space, otherwise conda's `/bin/sh` trampoline
/// (`'''exec' "python" "$0" "$@"` — valid shell and valid Python).
std::string entry_point_shebang(std::string_view python);

}  // namespace airlock::install::conda

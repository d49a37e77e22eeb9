#pragma once
/// Untrusted text made safe to print on a terminal: the one function every message, listing and
/// report passes strings through when they came from a bundle, an index or a package.

#include <string>
#include <string_view>

namespace airlock {

/// `text` with everything a terminal could act on shown as an escape: C0 controls, DEL and C1
/// controls as `\x1b`, `\x7f`, `\u009b`; bidirectional-formatting characters (which reorder what
/// is shown) as `\u202e`; bytes that are not valid UTF-8 as `\xff`. Printable ASCII and valid
/// UTF-8 pass unchanged (a backslash too, so escaping twice changes nothing).
std::string terminal_text(std::string_view text);

/// The same, but `\n` and `\t` pass through: for multi-line messages assembled from parts that were
/// escaped already (Error::render uses it as the last line of defence).
std::string terminal_lines(std::string_view text);

}  // namespace airlock

#pragma once
/// Prefix placeholders in conda package files, replaced the way conda does
/// (conda/core/portability.py): in text files every occurrence, whatever the lengths; in binary
/// files each NUL-terminated string holding the placeholder is rewritten in place and padded
/// with NULs, so the file keeps its size and every offset stays valid.

#include <string>
#include <string_view>

namespace airlock::install::conda {

/// Every `placeholder` in `data` replaced with `prefix`; a shebang line whose interpreter sits
/// under the placeholder gets spaces in the new prefix escaped as `\ ` first (so that
/// replace_long_shebang() turns it into an `env` shebang).
std::string replace_text_placeholder(std::string_view data, std::string_view placeholder,
                                     std::string_view prefix);

/// The binary form: from each occurrence of `placeholder` to the next NUL, every occurrence is
/// replaced and the string padded with as many NULs as it shrank. Throws Error when `prefix` is
/// longer than `placeholder` (the string cannot grow) or a placeholder has no NUL after it.
std::string replace_binary_placeholder(std::string_view data, std::string_view placeholder,
                                       std::string_view prefix);

}  // namespace airlock::install::conda

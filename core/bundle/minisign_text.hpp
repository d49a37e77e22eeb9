#pragma once
/// Line handling shared by the minisign file parsers (internal to core/bundle).

#include "core/base/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle::detail {

/// The lines of `text` without their `\n` / `\r\n`; a final newline adds no empty line.
std::vector<std::string_view> lines_of(std::string_view text);

/// `source:line: message` (the line itself is not shown: it may be secret).
Error format_error(std::string_view source, std::size_t line, const std::string& message);

/// The comment after `prefix` on `line`, or throws format_error.
std::string comment_after(std::string_view line, std::string_view prefix, std::string_view source,
                          std::size_t line_number);

/// Decodes the base64 `line` and checks it is `size` bytes long.
std::string decode_line(std::string_view line, std::size_t size, std::string_view what,
                        std::string_view source, std::size_t line_number);

/// The size `line` decodes to from base64, 0 when it is not base64 (to tell the kinds of minisign
/// files apart: a public key is 42 bytes, a secret key 158).
std::size_t decoded_size(std::string_view line);
inline constexpr std::size_t public_key_size = 42;
inline constexpr std::size_t secret_key_size = 158;

/// `source` with its extension replaced by `extension` (".pub"), for hints naming the other half
/// of a key pair; "" when `source` has no extension to replace.
std::string sibling_path(std::string_view source, std::string_view extension);

std::uint64_t load_le64(const std::uint8_t* p);
void store_le64(std::uint8_t* p, std::uint64_t v);

}  // namespace airlock::bundle::detail

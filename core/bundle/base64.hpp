#pragma once
/// Base64 (RFC 4648 §4, with padding), as minisign writes its key and signature lines.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle {

std::string base64_encode(std::string_view bytes);
/// The decoded bytes, or nullopt when `text` is not canonical padded base64.
std::optional<std::string> base64_try_decode(std::string_view text);

}  // namespace airlock::bundle

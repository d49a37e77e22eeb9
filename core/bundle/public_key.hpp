#pragma once
/// A minisign public key: `untrusted comment: …` then base64(`Ed` ‖ key id ‖ Ed25519 key).

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle {

/// minisign's 8-byte key number, shown as 16 uppercase hex digits of its little-endian value.
using KeyId = std::array<std::uint8_t, 8>;
std::string to_string(const KeyId& id);

struct PublicKey {
    KeyId id{};
    std::array<std::uint8_t, 32> key{};
    std::string untrusted_comment;

    /// Parses the two-line file text; `source` names it in errors (`key.pub:2: …`).
    static PublicKey parse(std::string_view text, std::string_view source);
    /// Also accepts the bare base64 line (as `minisign -P` takes it).
    static PublicKey load(const std::filesystem::path& path);
    /// The file text: comment line, key line, newline.
    std::string to_text() const;
};

/// The keys an installer trusts; a signature must come from one of them.
using TrustedKeys = std::vector<PublicKey>;

}  // namespace airlock::bundle

#pragma once
/// A minisign signature file: untrusted comment, base64(`ED` ‖ key id ‖ Ed25519 signature of the
/// BLAKE2b-512 of the file), `trusted comment: …`, base64(signature of signature ‖ comment).

#include "core/bundle/public_key.hpp"

namespace airlock::bundle {

struct Signature {
    std::string untrusted_comment;
    bool prehashed = true;  ///< `ED` (BLAKE2b-512 prehash); false for legacy `Ed`
    KeyId key_id{};
    std::array<std::uint8_t, 64> signature{};
    std::string trusted_comment;
    std::array<std::uint8_t, 64> global_signature{};

    static Signature parse(std::string_view text, std::string_view source);
    std::string to_text() const;
};

}  // namespace airlock::bundle

#pragma once
/// A minisign secret key file: `Ed`, kdf (`Sc` scrypt or none), checksum `B2`, salt, scrypt
/// limits, then key id ‖ Ed25519 secret key ‖ BLAKE2b-256 checksum, XORed with the scrypt output
/// when a password protects it.

#include "core/bundle/public_key.hpp"

#include <optional>

namespace airlock::bundle {

/// scrypt cost as minisign stores it (libsodium's opslimit/memlimit); the defaults are
/// minisign's own (OPSLIMIT_SENSITIVE / MEMLIMIT_SENSITIVE: N=2^20, r=8, p=1, 1 GiB).
struct KdfLimits {
    std::uint64_t opslimit = 33554432;
    std::uint64_t memlimit = 1073741824;
};

enum class Protection { password, none };

struct SecretKey {
    KeyId id{};
    std::array<std::uint8_t, 64> key{};  ///< libsodium layout: 32-byte seed ‖ 32-byte public key

    PublicKey public_key() const;

    /// True when the file text says the key is password-protected (kdf `Sc`).
    static bool is_encrypted(std::string_view text, std::string_view source);
    /// Parses (and with `password`, decrypts) a key file. A wrong password or damaged file is an
    /// Error (the checksum tells them apart from a good key).
    static SecretKey parse(std::string_view text, std::string_view source,
                           const std::optional<std::string>& password);
    /// The file text, encrypted with `password` (random salt) or unencrypted when nullopt.
    std::string to_text(const std::optional<std::string>& password, KdfLimits limits = {}) const;
};

}  // namespace airlock::bundle

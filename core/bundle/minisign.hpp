#pragma once
/// minisign (https://jedisct1.github.io/minisign/): Ed25519 keys and signatures in minisign's
/// exact file formats, so `minisign -V` checks what airlock signs and airlock checks minisign's.

#include "core/bundle/public_key.hpp"
#include "core/bundle/secret_key.hpp"
#include "core/bundle/signature.hpp"

namespace airlock::bundle {

struct KeyPair {
    SecretKey secret;
    PublicKey public_key;
};

/// A fresh Ed25519 key pair with a random key id.
KeyPair generate_keypair();

/// Signs `bytes` (prehashed `ED`); the trusted comment is covered by the global signature.
Signature sign(std::string_view bytes, const SecretKey& key, std::string trusted_comment,
               std::string untrusted_comment = "signature from airlock secret key");

/// Checks `signature` over `bytes` against the trusted keys; returns the id of the key that
/// signed. Throws Error for a legacy (not prehashed, `Ed`) signature, when no trusted key has the
/// signature's id (naming both), when the signature does not match, or when the trusted comment
/// was altered.
KeyId verify(std::string_view bytes, const Signature& signature, const TrustedKeys& trusted);

}  // namespace airlock::bundle

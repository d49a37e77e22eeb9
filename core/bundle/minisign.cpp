#include "core/bundle/minisign.hpp"

#include "core/base/error.hpp"
#include "core/bundle/blake2b.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

namespace airlock::bundle {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

std::array<std::uint8_t, 64> ed25519_sign(const SecretKey& key, std::string_view message) {
    PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.key.data(), 32),
                 &EVP_PKEY_free);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<std::uint8_t, 64> sig{};
    std::size_t len = sig.size();
    if (!pkey || !ctx ||
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &len,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        len != 64) {
        throw Error("OpenSSL could not make an Ed25519 signature", Exit::internal);
    }
    return sig;
}

bool ed25519_verify(const PublicKey& key, std::string_view message,
                    const std::array<std::uint8_t, 64>& sig) {
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.key.data(), 32),
                 &EVP_PKEY_free);
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!pkey || !ctx ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

std::string prehash(std::string_view bytes) {
    auto d = blake2b(bytes, 64);
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

KeyPair generate_keypair() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free);
    if (!pkey)
        throw Error("OpenSSL could not generate an Ed25519 key", Exit::internal);
    KeyPair kp;
    std::size_t len = 32;
    if (EVP_PKEY_get_raw_private_key(pkey.get(), kp.secret.key.data(), &len) != 1 || len != 32) {
        throw Error("OpenSSL could not export the Ed25519 key", Exit::internal);
    }
    len = 32;
    if (EVP_PKEY_get_raw_public_key(pkey.get(), kp.secret.key.data() + 32, &len) != 1 ||
        len != 32) {
        throw Error("OpenSSL could not export the Ed25519 key", Exit::internal);
    }
    if (RAND_bytes(kp.secret.id.data(), static_cast<int>(kp.secret.id.size())) != 1) {
        throw Error("the system random generator failed", Exit::internal);
    }
    kp.public_key = kp.secret.public_key();
    return kp;
}

Signature sign(std::string_view bytes, const SecretKey& key, std::string trusted_comment,
               std::string untrusted_comment) {
    if (trusted_comment.find('\n') != std::string::npos ||
        untrusted_comment.find('\n') != std::string::npos) {
        throw Error("a signature comment cannot contain a line break", Exit::internal);
    }
    Signature s;
    s.untrusted_comment = std::move(untrusted_comment);
    s.trusted_comment = std::move(trusted_comment);
    s.prehashed = true;
    s.key_id = key.id;
    s.signature = ed25519_sign(key, prehash(bytes));
    std::string global(reinterpret_cast<const char*>(s.signature.data()), 64);
    global += s.trusted_comment;
    s.global_signature = ed25519_sign(key, global);
    return s;
}

KeyId verify(std::string_view bytes, const Signature& signature, const TrustedKeys& trusted) {
    if (!signature.prehashed) {
        throw Error(
            "the signature is a legacy minisign `Ed` signature (made by `minisign -S -l` "
            "or minisign before 0.8); airlock writes and accepts only prehashed `ED` "
            "signatures")
            .with_hint(
                "sign the bundle again: rebuild it with `airlock-build build --key KEY`, "
                "or sign its manifest with a current minisign (`minisign -S`, without -l)");
    }
    const PublicKey* key = nullptr;
    for (const auto& k : trusted) {
        if (k.id == signature.key_id)
            key = &k;
    }
    if (key == nullptr) {
        std::string ids;
        for (const auto& k : trusted)
            ids += (ids.empty() ? "" : ", ") + to_string(k.id);
        if (trusted.empty()) {
            throw Error("the signature was made by key " + to_string(signature.key_id) +
                        ", and no trusted key was given")
                .with_hint("pass the signer's public key with --key");
        }
        throw Error("the signature was made by key " + to_string(signature.key_id) +
                    ", which is not a trusted key (trusted: " + ids + ")")
            .with_hint(
                "pass the public key of the bundle's signer with --key, after checking "
                "where it comes from");
    }
    if (!ed25519_verify(*key, prehash(bytes), signature.signature)) {
        throw Error("the signature by key " + to_string(key->id) +
                    " does not match: the signed file was altered after signing");
    }
    std::string global(reinterpret_cast<const char*>(signature.signature.data()), 64);
    global += signature.trusted_comment;
    if (!ed25519_verify(*key, global, signature.global_signature)) {
        throw Error("the trusted comment of the signature by key " + to_string(key->id) +
                    " was altered after signing");
    }
    return key->id;
}

}  // namespace airlock::bundle

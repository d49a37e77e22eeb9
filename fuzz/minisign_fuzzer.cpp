/// minisign public keys, secret keys and signatures (core/bundle/minisign): the input is parsed
/// as each kind of file, and a signature that parses is verified over a fixed payload against a
/// fixed trusted key (the seed corpus has that key's real signature of the payload, so mutations
/// start from a valid one). Secret keys are parsed without a password: decrypting runs scrypt
/// with the limits the file gives, far too slow to fuzz. Properties: what parses prints as text
/// that parses to the same fields; verification either names the signing key or throws Error.

#include "core/bundle/minisign.hpp"
#include "fuzz/fuzz_check.hpp"

#include <optional>

using namespace airlock;
using airlock::fuzz::accepted;
using airlock::fuzz::check;
using airlock::fuzz::must_accept;

namespace {

// `minisign -G -W`; fuzz/corpus/minisign/ holds its signature of kPayload (`minisign -S -t`).
constexpr std::string_view kTrustedKey =
    "untrusted comment: minisign public key 382FB259154BF7A9\n"
    "RWSp90sVWbIvOE/zvUNrRp17aGyLXaI5y+WoOu2FczjCX3GSAWM3vX9B\n";
constexpr std::string_view kPayload = "airlock fuzz payload\n";

const bundle::TrustedKeys& trusted() {
    static const bundle::TrustedKeys keys{bundle::PublicKey::parse(kTrustedKey, "fuzz.pub")};
    return keys;
}

void public_key_property(std::string_view text) {
    std::optional<bundle::PublicKey> key;
    if (!accepted([&] { key = bundle::PublicKey::parse(text, "fuzz.pub"); }))
        return;
    auto printed = key->to_text();
    std::optional<bundle::PublicKey> again;
    must_accept([&] { again = bundle::PublicKey::parse(printed, "again.pub"); },
                "PublicKey: to_text() does not parse", printed);
    // An empty comment (a bare key line) is printed as minisign's default one.
    check(
        again->id == key->id && again->key == key->key &&
            (again->untrusted_comment == key->untrusted_comment || key->untrusted_comment.empty()),
        "PublicKey: to_text() parses to another key", printed);
}

void signature_property(std::string_view text) {
    std::optional<bundle::Signature> signature;
    if (!accepted([&] { signature = bundle::Signature::parse(text, "fuzz.minisig"); }))
        return;
    auto printed = signature->to_text();
    std::optional<bundle::Signature> again;
    must_accept([&] { again = bundle::Signature::parse(printed, "again.minisig"); },
                "Signature: to_text() does not parse", printed);
    check(again->untrusted_comment == signature->untrusted_comment &&
              again->prehashed == signature->prehashed && again->key_id == signature->key_id &&
              again->signature == signature->signature &&
              again->trusted_comment == signature->trusted_comment &&
              again->global_signature == signature->global_signature,
          "Signature: to_text() parses to another signature", printed);
    std::optional<bundle::KeyId> signer;
    accepted([&] { signer = bundle::verify(kPayload, *signature, trusted()); });
    if (signer)
        check(*signer == trusted()[0].id, "verify: accepted, naming an untrusted key");
}

void secret_key_property(std::string_view text) {
    bool encrypted = false;
    if (!accepted([&] { encrypted = bundle::SecretKey::is_encrypted(text, "fuzz.key"); }))
        return;
    if (encrypted)
        return;
    std::optional<bundle::SecretKey> key;
    if (!accepted([&] { key = bundle::SecretKey::parse(text, "fuzz.key", std::nullopt); }))
        return;
    accepted([&] { key->public_key(); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    public_key_property(text);
    signature_property(text);
    secret_key_property(text);
    return 0;
}

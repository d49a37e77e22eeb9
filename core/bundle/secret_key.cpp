#include "core/bundle/secret_key.hpp"

#include "core/base/error.hpp"
#include "core/bundle/base64.hpp"
#include "core/bundle/blake2b.hpp"
#include "core/bundle/minisign_text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

namespace airlock::bundle {
namespace {

// Layout of the decoded key line (minisign's SeckeyStruct).
constexpr std::size_t sig_alg_at = 0, kdf_alg_at = 2, chk_alg_at = 4, salt_at = 6, ops_at = 38,
                      mem_at = 46, keynum_sk_at = 54, keynum_sk_size = 8 + 64 + 32,
                      total_size = keynum_sk_at + keynum_sk_size;

/// libsodium's crypto_pwhash_scryptsalsa208sha256 turns (opslimit, memlimit) into N, r, p thus.
void pick_params(std::uint64_t opslimit, std::uint64_t memlimit, std::uint64_t& n, std::uint32_t& r,
                 std::uint32_t& p) {
    if (opslimit < 32768)
        opslimit = 32768;
    r = 8;
    std::uint32_t n_log2 = 1;
    if (opslimit < memlimit / 32) {
        p = 1;
        std::uint64_t max_n = opslimit / (r * 4);
        for (n_log2 = 1; n_log2 < 63; ++n_log2) {
            if ((std::uint64_t{1} << n_log2) > max_n / 2)
                break;
        }
    } else {
        std::uint64_t max_n = memlimit / (std::uint64_t{r} * 128);
        for (n_log2 = 1; n_log2 < 63; ++n_log2) {
            if ((std::uint64_t{1} << n_log2) > max_n / 2)
                break;
        }
        std::uint64_t max_rp = (opslimit / 4) / (std::uint64_t{1} << n_log2);
        if (max_rp > 0x3fffffff)
            max_rp = 0x3fffffff;
        p = static_cast<std::uint32_t>(max_rp) / r;
    }
    n = std::uint64_t{1} << n_log2;
}

std::string scrypt_stream(const std::string& password, const std::uint8_t* salt,
                          std::uint64_t opslimit, std::uint64_t memlimit) {
    std::uint64_t n = 0;
    std::uint32_t r = 0, p = 0;
    pick_params(opslimit, memlimit, n, r, p);
    std::uint64_t maxmem = 128ULL * r * (n + 2) + 128ULL * r * p + (1ULL << 20);
    std::string out(keynum_sk_size, '\0');
    if (EVP_PBE_scrypt(password.data(), password.size(), salt, 32, n, r, p, maxmem,
                       reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
        throw Error("scrypt failed (N=" + std::to_string(n) + ", r=" + std::to_string(r) +
                    ", p=" + std::to_string(p) + "): not enough memory?");
    }
    return out;
}

std::array<std::uint8_t, 32> checksum(const KeyId& id, const std::array<std::uint8_t, 64>& key) {
    Blake2b h(32);
    h.update("Ed", 2);
    h.update(id.data(), id.size());
    h.update(key.data(), key.size());
    auto d = h.final();
    std::array<std::uint8_t, 32> out{};
    std::memcpy(out.data(), d.data(), 32);
    return out;
}

bool seed_matches_public_half(const std::array<std::uint8_t, 64>& key) {
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.data(), 32), &EVP_PKEY_free);
    std::uint8_t pk[32];
    std::size_t len = sizeof pk;
    return pkey && EVP_PKEY_get_raw_public_key(pkey.get(), pk, &len) == 1 && len == 32 &&
           std::memcmp(pk, key.data() + 32, 32) == 0;
}

std::string decode(std::string_view text, std::string_view source) {
    auto lines = detail::lines_of(text);
    if (!lines.empty() && detail::decoded_size(lines.back()) == detail::public_key_size) {
        auto key = detail::sibling_path(source, ".key");
        throw Error(quote(source) + " is a minisign public key, not a secret key")
            .with_hint("sign with the secret key " + (key.empty() ? "(PREFIX.key)" : quote(key)) +
                       " from `airlock-build keygen --out PREFIX`; the .pub file goes to the "
                       "machines that install");
    }
    if (lines.size() != 2) {
        throw detail::format_error(source, 1,
                                   "a minisign secret key file has two lines: "
                                   "`untrusted comment: …` and the base64 key");
    }
    detail::comment_after(lines[0], "untrusted comment: ", source, 1);
    std::string raw = detail::decode_line(lines[1], total_size, "secret key", source, 2);
    if (raw.compare(sig_alg_at, 2, "Ed") != 0) {
        throw detail::format_error(source, 2, "unsupported signature algorithm (expected `Ed`)");
    }
    if (raw.compare(chk_alg_at, 2, "B2") != 0) {
        throw detail::format_error(source, 2, "unsupported checksum algorithm (expected `B2`)");
    }
    if (raw.compare(kdf_alg_at, 2, "Sc") != 0 &&
        raw.compare(kdf_alg_at, 2, std::string(2, '\0')) != 0) {
        throw detail::format_error(source, 2,
                                   "unsupported key derivation (expected scrypt `Sc` or none)");
    }
    return raw;
}

}  // namespace

PublicKey SecretKey::public_key() const {
    PublicKey pk;
    pk.id = id;
    std::memcpy(pk.key.data(), key.data() + 32, 32);
    return pk;
}

bool SecretKey::is_encrypted(std::string_view text, std::string_view source) {
    return decode(text, source).compare(kdf_alg_at, 2, "Sc") == 0;
}

SecretKey SecretKey::parse(std::string_view text, std::string_view source,
                           const std::optional<std::string>& password) {
    std::string raw = decode(text, source);
    auto* bytes = reinterpret_cast<std::uint8_t*>(raw.data());
    if (raw.compare(kdf_alg_at, 2, "Sc") == 0) {
        if (!password) {
            throw Error("the secret key " + quote(source) + " is password-protected")
                .with_hint("enter its password at the prompt, or set AIRLOCK_KEY_PASSWORD");
        }
        std::string stream =
            scrypt_stream(*password, bytes + salt_at, detail::load_le64(bytes + ops_at),
                          detail::load_le64(bytes + mem_at));
        for (std::size_t i = 0; i < keynum_sk_size; ++i) {
            bytes[keynum_sk_at + i] ^= static_cast<std::uint8_t>(stream[i]);
        }
        OPENSSL_cleanse(stream.data(), stream.size());
    }
    SecretKey sk;
    std::memcpy(sk.id.data(), bytes + keynum_sk_at, 8);
    std::memcpy(sk.key.data(), bytes + keynum_sk_at + 8, 64);
    auto expected = checksum(sk.id, sk.key);
    bool ok = std::memcmp(expected.data(), bytes + keynum_sk_at + 72, 32) == 0;
    // `minisign -W` (0.11) leaves the checksum of an unencrypted key all zero; the key's own
    // consistency (the public half derived from the seed) is checked instead.
    static constexpr std::uint8_t zero[32] = {};
    bool unencrypted = raw.compare(kdf_alg_at, 2, std::string(2, '\0')) == 0;
    if (!ok && unencrypted && std::memcmp(bytes + keynum_sk_at + 72, zero, 32) == 0)
        ok = true;
    if (ok && !seed_matches_public_half(sk.key))
        ok = false;
    OPENSSL_cleanse(raw.data(), raw.size());
    if (!ok) {
        if (password)
            throw Error("wrong password for the secret key " + quote(source));
        throw Error("the secret key " + quote(source) +
                    " is damaged (its checksum does not match)");
    }
    return sk;
}

std::string SecretKey::to_text(const std::optional<std::string>& password, KdfLimits limits) const {
    std::string raw(total_size, '\0');
    auto* bytes = reinterpret_cast<std::uint8_t*>(raw.data());
    std::memcpy(bytes + sig_alg_at, "Ed", 2);
    std::memcpy(bytes + kdf_alg_at, password ? "Sc" : "\0\0", 2);
    std::memcpy(bytes + chk_alg_at, "B2", 2);
    if (password) {
        if (RAND_bytes(bytes + salt_at, 32) != 1) {
            throw Error("the system random generator failed", Exit::internal);
        }
        detail::store_le64(bytes + ops_at, limits.opslimit);
        detail::store_le64(bytes + mem_at, limits.memlimit);
    }
    std::memcpy(bytes + keynum_sk_at, id.data(), 8);
    std::memcpy(bytes + keynum_sk_at + 8, key.data(), 64);
    auto chk = checksum(id, key);
    std::memcpy(bytes + keynum_sk_at + 72, chk.data(), 32);
    if (password) {
        std::string stream =
            scrypt_stream(*password, bytes + salt_at, limits.opslimit, limits.memlimit);
        for (std::size_t i = 0; i < keynum_sk_size; ++i) {
            bytes[keynum_sk_at + i] ^= static_cast<std::uint8_t>(stream[i]);
        }
        OPENSSL_cleanse(stream.data(), stream.size());
    }
    std::string line = base64_encode(raw);
    OPENSSL_cleanse(raw.data(), raw.size());
    return std::string("untrusted comment: ") +
           (password ? "minisign encrypted secret key" : "minisign secret key") + "\n" + line +
           "\n";
}

}  // namespace airlock::bundle

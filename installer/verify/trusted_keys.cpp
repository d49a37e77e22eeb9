#include "installer/verify/trusted_keys.hpp"

#include "core/base/error.hpp"

#include <algorithm>

namespace airlock::verify {
namespace fs = std::filesystem;

bundle::TrustedKeys load_trusted_keys(const std::vector<fs::path>& keys,
                                      const std::optional<fs::path>& trust_dir) {
    bundle::TrustedKeys trusted;
    for (const auto& key : keys) {
        trusted.push_back(within("loading the trusted key " + quote(key.string()),
                                 [&] { return bundle::PublicKey::load(key); }));
    }
    std::optional<fs::path> dir = trust_dir;
    std::error_code ec;
    if (!dir && keys.empty() && fs::is_directory(default_trust_dir, ec))
        dir = default_trust_dir;
    if (dir) {
        if (!fs::is_directory(*dir, ec)) {
            throw Error("the trust directory " + quote(dir->string()) + " does not exist")
                .with_hint(
                    "create it and put the publisher's minisign public key (*.pub) in it, "
                    "or pass the key with --key");
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(*dir, ec)) {
            if (entry.path().extension() == ".pub" && entry.is_regular_file(ec))
                found.push_back(entry.path());
        }
        std::sort(found.begin(), found.end());
        if (found.empty() && keys.empty()) {
            throw Error("the trust directory " + quote(dir->string()) + " holds no *.pub key")
                .with_hint("copy the publisher's minisign public key there, or pass it with --key");
        }
        for (const auto& key : found) {
            trusted.push_back(within("loading the trusted key " + quote(key.string()),
                                     [&] { return bundle::PublicKey::load(key); }));
        }
    }
    if (trusted.empty()) {
        throw Error("no trusted public key was given", Exit::usage)
            .with_hint(
                "pass the publisher's key with --key PUB (repeatable) or --trust-dir DIR "
                "(every *.pub in it; default " +
                std::string(default_trust_dir) + "); an unsigned bundle needs --allow-unsigned");
    }
    return trusted;
}

std::string describe_key(const bundle::KeyId& id, const bundle::TrustedKeys& trusted) {
    std::string out = bundle::to_string(id);
    for (const auto& key : trusted) {
        if (key.id == id && !key.untrusted_comment.empty() &&
            key.untrusted_comment.find(out) == std::string::npos) {
            out += " (" + key.untrusted_comment + ")";
            break;
        }
    }
    return out;
}

}  // namespace airlock::verify

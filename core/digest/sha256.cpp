#include "core/digest/sha256.hpp"

#include "core/base/error.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace airlock::digest {

struct Sha256::State {
    EVP_MD_CTX* ctx = nullptr;
    State() : ctx(EVP_MD_CTX_new()) {
        if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
            throw Error("OpenSSL could not start a SHA-256 digest", Exit::internal);
        }
    }
    ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
    if (size != 0)
        EVP_DigestUpdate(state_->ctx, data, size);
}

std::array<std::uint8_t, 32> Sha256::digest() {
    std::array<std::uint8_t, 32> out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(state_->ctx, out.data(), &len);
    EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
    return out;
}

std::string Sha256::hex_digest() {
    static constexpr char digits[] = "0123456789abcdef";
    auto bytes = digest();
    std::string out;
    out.reserve(64);
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.hex_digest();
}

std::string sha256_file(const std::filesystem::path& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) {
        throw Error("cannot open " + quote(path.string()) + ": " + std::strerror(errno));
    }
    Sha256 h;
    std::vector<char> buffer(1 << 20);
    while (true) {
        std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
        h.update(buffer.data(), n);
        if (n < buffer.size()) {
            if (std::ferror(file.get())) {
                throw Error("cannot read " + quote(path.string()) + ": " + std::strerror(errno));
            }
            break;
        }
    }
    return h.hex_digest();
}

bool is_sha256_hex(std::string_view text) {
    if (text.size() != 64)
        return false;
    for (char c : text) {
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex)
            return false;
    }
    return true;
}

}  // namespace airlock::digest

#include "core/digest/md5.hpp"

#include "core/base/error.hpp"

#include <openssl/evp.h>

namespace airlock::digest {

struct Md5::State {
    EVP_MD_CTX* ctx = nullptr;
    State() : ctx(EVP_MD_CTX_new()) {
        if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1)
            throw Error("OpenSSL could not start an MD5 digest", Exit::internal);
    }
    ~State() { EVP_MD_CTX_free(ctx); }
};

Md5::Md5() : state_(std::make_unique<State>()) {}
Md5::~Md5() = default;
Md5::Md5(Md5&&) noexcept = default;
Md5& Md5::operator=(Md5&&) noexcept = default;

void Md5::update(const void* data, std::size_t size) {
    if (size != 0)
        EVP_DigestUpdate(state_->ctx, data, size);
}

std::string Md5::hex_digest() {
    static constexpr char digits[] = "0123456789abcdef";
    unsigned char bytes[16] = {};
    unsigned int len = 0;
    EVP_DigestFinal_ex(state_->ctx, bytes, &len);
    EVP_DigestInit_ex(state_->ctx, EVP_md5(), nullptr);
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

std::string md5_hex(std::string_view bytes) {
    Md5 h;
    h.update(bytes);
    return h.hex_digest();
}

bool is_md5_hex(std::string_view text) {
    return text.size() == 32 &&
           text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace airlock::digest

#include "builder/net/tls.hpp"

#include "builder/net/url.hpp"
#include "core/base/error.hpp"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace airlock::net {

void check_ca_file(const std::filesystem::path& file, std::string_view flag) {
    auto fail = [&](const std::string& what) {
        return Error(std::string(flag) + " " + quote(file.string()) + ": " + what, Exit::user)
            .with_hint(
                "give the CA certificate(s) that sign your index's server certificate, as "
                "PEM (the file starts with -----BEGIN CERTIFICATE-----)");
    };
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw fail("no such file");
    if (std::filesystem::is_directory(file, ec))
        throw fail("is a directory, not a CA bundle file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw fail(std::string("cannot read it: ") + std::strerror(errno));
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.find("-----BEGIN CERTIFICATE-----") == std::string::npos &&
        head.find("-----BEGIN TRUSTED CERTIFICATE-----") == std::string::npos) {
        throw fail("holds no PEM certificate");
    }
}

bool is_tls_verification_failure(int curl_code) {
    switch (static_cast<CURLcode>(curl_code)) {
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_CRL_BADFILE:
            return true;
        default:
            return false;
    }
}

std::string tls_failure_message(std::string_view url, std::string_view detail) {
    auto parsed = Url::try_parse(url);
    std::string host = parsed ? parsed->host() : redact(url);
    return "the TLS certificate of " + host + " was not accepted (" + std::string(detail) +
           "); not retried: pass --cert FILE with the CA certificate(s) that sign it, or set "
           "SSL_CERT_FILE";
}

}  // namespace airlock::net

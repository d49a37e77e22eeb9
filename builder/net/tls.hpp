#pragma once
/// TLS trust for every request: the `--cert` CA bundle checked before any work, and what a
/// certificate failure means (not retried: asking again cannot change the answer).

#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::net {

/// Throws Error (Exit::user) unless `file` is a readable file holding at least one PEM
/// certificate. `flag` names the option in the message (`--cert`).
void check_ca_file(const std::filesystem::path& file, std::string_view flag = "--cert");

/// True when a libcurl result (CURLcode) means the server's certificate was not accepted.
bool is_tls_verification_failure(int curl_code);

/// The message for such a failure on `url`: names its host, --cert and SSL_CERT_FILE.
std::string tls_failure_message(std::string_view url, std::string_view detail);

}  // namespace airlock::net

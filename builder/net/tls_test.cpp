#include "builder/net/tls.hpp"

#include "core/base/error.hpp"
#include "tests/support/cpp/file_bytes.hpp"
#include "tests/support/cpp/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace airlock;
using namespace airlock::net;

TEST(CheckCaFile, RefusesMissingEmptyAndNonPemFiles) {
    test_support::TempDir temp("airlock-tls-test-");
    const auto& dir = temp.path();
    auto message = [](const std::filesystem::path& p) {
        try {
            check_ca_file(p);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(message(dir / "missing.pem"),
              "--cert `" + (dir / "missing.pem").string() + "`: no such file");
    EXPECT_NE(message(dir).find("is a directory"), std::string::npos);
    test_support::write_file(dir / "junk.pem", "not a certificate\n");
    EXPECT_NE(message(dir / "junk.pem").find("holds no PEM certificate"), std::string::npos);
    test_support::write_file(dir / "ca.pem",
                             "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    EXPECT_EQ(message(dir / "ca.pem"), "(accepted)");
}

TEST(TlsFailure, NamesTheHostCertAndSslCertFile) {
    auto text = tls_failure_message("https://127.0.0.1:8443/simple/x/", "unable to get issuer");
    EXPECT_NE(text.find("127.0.0.1"), std::string::npos);
    EXPECT_NE(text.find("--cert"), std::string::npos);
    EXPECT_NE(text.find("SSL_CERT_FILE"), std::string::npos);
    EXPECT_TRUE(is_tls_verification_failure(60));  // CURLE_PEER_FAILED_VERIFICATION
    EXPECT_FALSE(is_tls_verification_failure(7));  // CURLE_COULDNT_CONNECT
}

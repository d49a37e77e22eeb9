#include "builder/net/tls.hpp"

#include "core/base/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace airlock;
using namespace airlock::net;

TEST(CheckCaFile, RefusesMissingEmptyAndNonPemFiles) {
    auto dir = std::filesystem::temp_directory_path() / "airlock-tls-test";
    std::filesystem::create_directories(dir);
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
    std::ofstream(dir / "junk.pem") << "not a certificate\n";
    EXPECT_NE(message(dir / "junk.pem").find("holds no PEM certificate"), std::string::npos);
    std::ofstream(dir / "ca.pem")
        << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    EXPECT_EQ(message(dir / "ca.pem"), "(accepted)");
    std::filesystem::remove_all(dir);
}

TEST(TlsFailure, NamesTheHostCertAndSslCertFile) {
    auto text = tls_failure_message("https://127.0.0.1:8443/simple/x/", "unable to get issuer");
    EXPECT_NE(text.find("127.0.0.1"), std::string::npos);
    EXPECT_NE(text.find("--cert"), std::string::npos);
    EXPECT_NE(text.find("SSL_CERT_FILE"), std::string::npos);
    EXPECT_TRUE(is_tls_verification_failure(60));  // CURLE_PEER_FAILED_VERIFICATION
    EXPECT_FALSE(is_tls_verification_failure(7));  // CURLE_COULDNT_CONNECT
}

// tests/unit/api/tls_test.cpp: the server's TLS context.

#include "api/tls.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <exception>
#include <string>

namespace wijkbudget::api {
namespace {

const std::string CERTIFICATE_PATH{WB_TEST_DATA_DIR "/support/tls/cert.pem"};
const std::string KEY_PATH{WB_TEST_DATA_DIR "/support/tls/key.pem"};

// Debian's openssl.cnf already sets MinProtocol = TLSv1.2, so a TLS 1.1 handshake fails there
// even without our setting (transport_test checks the handshake); this checks our own bound.
TEST(TlsTest, ContextAllowsTls12ThroughTls13Only)
{
    auto context = MakeServerTlsContext(CERTIFICATE_PATH, KEY_PATH);
    EXPECT_EQ(SSL_CTX_get_min_proto_version(context.native_handle()), TLS1_2_VERSION);
    EXPECT_EQ(SSL_CTX_get_max_proto_version(context.native_handle()), TLS1_3_VERSION);
    EXPECT_NE(SSL_CTX_get_options(context.native_handle()) & SSL_OP_NO_COMPRESSION, 0U);
}

//! The message of what MakeServerTlsContext threw; empty when it threw nothing.
std::string RefusalOf(const std::string& certificate, const std::string& key)
{
    try {
        MakeServerTlsContext(certificate, key);
    } catch (const std::exception& error) {
        return error.what();
    }
    return {};
}

TEST(TlsTest, MissingFilesThrowNamingTheFileAndItsSetting)
{
    const std::string certificate = RefusalOf("/nonexistent/cert.pem", KEY_PATH);
    EXPECT_NE(certificate.find("/nonexistent/cert.pem (tls.certificate_file)"), std::string::npos)
        << certificate;
    const std::string key = RefusalOf(CERTIFICATE_PATH, "/nonexistent/key.pem");
    EXPECT_NE(key.find("/nonexistent/key.pem (tls.private_key_file)"), std::string::npos) << key;
}

TEST(TlsTest, KeyThatIsNotAKeyThrows)
{
    // The certificate file holds no private key.
    const std::string refused = RefusalOf(CERTIFICATE_PATH, CERTIFICATE_PATH);
    EXPECT_NE(refused.find("(tls.private_key_file) cannot be used"), std::string::npos) << refused;
}

} // namespace
} // namespace wijkbudget::api

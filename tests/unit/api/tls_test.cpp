// tests/unit/api/tls_test.cpp: the server's TLS context.

#include "api/tls.hpp"

#include <boost/system/system_error.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

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

TEST(TlsTest, MissingFilesThrow)
{
    EXPECT_THROW(MakeServerTlsContext("/nonexistent/cert.pem", KEY_PATH),
                 boost::system::system_error);
    EXPECT_THROW(MakeServerTlsContext(CERTIFICATE_PATH, "/nonexistent/key.pem"),
                 boost::system::system_error);
}

TEST(TlsTest, KeyThatIsNotAKeyThrows)
{
    // The certificate file holds no private key.
    EXPECT_THROW(MakeServerTlsContext(CERTIFICATE_PATH, CERTIFICATE_PATH),
                 boost::system::system_error);
}

} // namespace
} // namespace wijkbudget::api

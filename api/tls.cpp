// api/tls.cpp: the server's TLS context.

#include "api/tls.hpp"

#include <boost/asio/ssl/error.hpp>
#include <boost/system/system_error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>
#include <string>

namespace wijkbudget::api {

namespace ssl = boost::asio::ssl;

namespace {

[[noreturn]] void ThrowOpenSsl(const char* what)
{
    const auto code = static_cast<int>(ERR_get_error());
    throw boost::system::system_error{
        boost::system::error_code{code, boost::asio::error::get_ssl_category()}, what};
}

} // namespace

ssl::context MakeServerTlsContext(const std::string& certificate_chain_path,
                                  const std::string& private_key_path)
{
    ssl::context context{ssl::context::tls_server};
    SSL_CTX* native = context.native_handle();
    // The protocol bounds, not just the no_tlsv1 options: they also hold against a system
    // openssl.cnf that lowers MinProtocol, and they keep a future TLS version off until tested.
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
        ThrowOpenSsl("TLS minimum version");
    }
    if (SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1) {
        ThrowOpenSsl("TLS maximum version");
    }
    // Compression invites CRIME; renegotiation by the client is a denial-of-service lever.
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::no_compression | ssl::context::single_dh_use |
                        SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_cipher_list(native, TLS12_CIPHERS) != 1) ThrowOpenSsl("TLS 1.2 ciphers");
    // An operator must learn which file failed: OpenSSL's own message names none.
    boost::system::error_code error;
    context.use_certificate_chain_file(certificate_chain_path, error);
    if (error) {
        throw UnusableSetting("the TLS certificate chain " + certificate_chain_path +
                              " (tls.certificate_file) cannot be used: " + error.message());
    }
    context.use_private_key_file(private_key_path, ssl::context::pem, error);
    if (error) {
        throw UnusableSetting("the TLS private key " + private_key_path +
                              " (tls.private_key_file) cannot be used: " + error.message());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        throw UnusableSetting("the TLS private key " + private_key_path +
                              " (tls.private_key_file) does not match the certificate " +
                              certificate_chain_path + " (tls.certificate_file)");
    }
    return context;
}

} // namespace wijkbudget::api

#pragma once
// api/tls.hpp: the server's TLS context (DESIGN.md section 7: TLS 1.2 and 1.3 only).

#include <boost/asio/ssl/context.hpp>

#include <stdexcept>
#include <string>

namespace wijkbudget::api {

//! A setting the server cannot start with (a certificate or key file, an address): the message
//! names the file or address and the setting, for the operator to fix (STYLE.md section 4).
class UnusableSetting : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

//! TLS 1.2 cipher suites, in preference order: ECDHE only (forward secrecy), AEAD only (Mozilla's
//! "intermediate" list). TLS 1.3 suites are OpenSSL's defaults, all of which are AEAD.
inline constexpr const char* TLS12_CIPHERS{
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"};

/** A server context that speaks TLS 1.2 and 1.3 only, with the certificate chain (PEM, leaf
 *  first) and private key (PEM) read from these files.
 *  @throws UnusableSetting when a file cannot be read or the key does not match the certificate;
 *  boost::system::system_error when OpenSSL refuses the protocol settings themselves. */
boost::asio::ssl::context MakeServerTlsContext(const std::string& certificate_chain_path,
                                               const std::string& private_key_path);

} // namespace wijkbudget::api

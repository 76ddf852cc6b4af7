#pragma once
// tests/support/https/https_client.hpp: a small blocking HTTPS/1.1 client for tests.
//
// One object is one TLS connection, kept alive across Send() calls. Every call is bounded by the
// client's timeout (it runs Beast's asynchronous operations on a private io_context), so a test
// against a misbehaving server fails instead of hanging. The raw calls (WriteRaw, TryReadResponse,
// WaitForClose) let a test send what no well-behaved client would.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkbudget::test {

enum class TlsVersion { any, tls1_1, tls1_2, tls1_3 };

struct HttpsClientOptions {
    //! Pin the protocol version; tls1_1 also lowers the client's OpenSSL security level, which
    //! otherwise refuses TLS 1.1 by itself, so only the server can be the one that says no.
    TlsVersion tls_version{TlsVersion::any};
    //! PEM file of the certificate to trust; empty: the server's certificate is not checked.
    std::string trusted_certificate_path;
    std::chrono::milliseconds timeout{std::chrono::seconds{10}};
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpsResponse {
    unsigned status{0};
    Headers headers;
    std::string body;
    bool chunked{false};
    bool keep_alive{false};

    //! The first value of a header (name compared without case), or "" when absent.
    [[nodiscard]] std::string Header(std::string_view name) const;
};

class HttpsClient
{
public:
    /** Connects and completes the TLS handshake.
     *  @throws boost::system::system_error when either fails or times out. */
    HttpsClient(const std::string& host, std::uint16_t port, HttpsClientOptions options = {});
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    /** Sends one HTTP/1.1 request (Content-Length set for a body) and reads the response.
     *  @throws boost::system::system_error on any transport or parse failure. */
    HttpsResponse Send(std::string_view method, std::string_view target, std::string body = {},
                       const Headers& headers = {});

    //! Writes bytes as they are, inside TLS. @throws boost::system::system_error.
    void WriteRaw(std::string_view bytes);
    //! Reads one response; an error when the connection ends first or the timeout passes.
    //! `head`: the answer to a HEAD request, whose header announces a body it does not carry.
    boost::system::result<HttpsResponse> TryReadResponse(bool head = false);
    /** Reads until the server closes the connection or `timeout` passes, discarding data: the
     *  error that ended the read (eof, stream_truncated, connection_reset...), or
     *  beast::error::timeout when the connection is still open. */
    boost::system::error_code WaitForClose(std::chrono::milliseconds timeout);
    //! Sends close_notify and closes; errors are ignored (the server may be gone).
    void Close();
    //! Closes at once with a TCP reset (no close_notify): a client that crashed or was cut off.
    void Reset();

private:
    HttpsClientOptions m_options;
    boost::asio::io_context m_io_context;
    boost::asio::ssl::context m_tls;
    boost::asio::ssl::stream<boost::beast::tcp_stream> m_stream;
    boost::beast::flat_buffer m_buffer;
    std::string m_host;
};

} // namespace wijkbudget::test

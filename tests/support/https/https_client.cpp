// tests/support/https/https_client.cpp: a blocking HTTPS client for tests.

#include "tests/support/https/https_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace wijkbudget::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using beast::error_code;

namespace {

ssl::context MakeClientContext(const HttpsClientOptions& options)
{
    ssl::context context{ssl::context::tls_client};
    SSL_CTX* native = context.native_handle();
    int version = 0;
    switch (options.tls_version) {
    case TlsVersion::any: break;
    case TlsVersion::tls1_1: version = TLS1_1_VERSION; break;
    case TlsVersion::tls1_2: version = TLS1_2_VERSION; break;
    case TlsVersion::tls1_3: version = TLS1_3_VERSION; break;
    }
    if (version != 0) {
        SSL_CTX_set_min_proto_version(native, version);
        SSL_CTX_set_max_proto_version(native, version);
    }
    if (options.tls_version == TlsVersion::tls1_1) {
        SSL_CTX_set_security_level(native, 0);
        SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    }
    if (options.trusted_certificate_path.empty()) {
        context.set_verify_mode(ssl::verify_none);
    } else {
        context.load_verify_file(options.trusted_certificate_path);
        context.set_verify_mode(ssl::verify_peer);
    }
    return context;
}

//! Runs the private io_context until the operation started before it completes.
void RunToCompletion(net::io_context& io_context)
{
    io_context.restart();
    io_context.run();
}

void ThrowIf(const error_code& ec, const char* what)
{
    if (ec) throw boost::system::system_error{ec, what};
}

bool EqualsIgnoringCase(std::string_view lhs, std::string_view rhs)
{
    return lhs.size() == rhs.size() &&
           std::equal(lhs.begin(), lhs.end(), rhs.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

} // namespace

std::string HttpsResponse::Header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoringCase(key, name)) return value;
    }
    return {};
}

HttpsClient::HttpsClient(const std::string& host, std::uint16_t port, HttpsClientOptions options)
    : m_options{std::move(options)}, m_tls{MakeClientContext(m_options)},
      m_stream{m_io_context, m_tls}, m_host{host}
{
    net::ip::tcp::resolver resolver{m_io_context};
    const auto endpoints = resolver.resolve(host, std::to_string(port));
    if (!m_options.trusted_certificate_path.empty()) {
        m_stream.set_verify_callback(ssl::host_name_verification{host});
    }
    // SNI, as a browser sends it; only a host name may go there, not an IP address.
    if (std::none_of(host.begin(), host.end(), [](char c) { return c == ':'; }) &&
        !std::all_of(host.begin(), host.end(), [](char c) {
            return c == '.' || std::isdigit(static_cast<unsigned char>(c));
        })) {
        // SSL_set_tlsext_host_name is a macro with a C-style cast.
        SSL_ctrl(m_stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 m_host.data());
    }

    error_code ec;
    beast::get_lowest_layer(m_stream).expires_after(m_options.timeout);
    beast::get_lowest_layer(m_stream).async_connect(
        endpoints, [&ec](error_code result, const auto& /*endpoint*/) { ec = result; });
    RunToCompletion(m_io_context);
    ThrowIf(ec, "connect");

    beast::get_lowest_layer(m_stream).expires_after(m_options.timeout);
    m_stream.async_handshake(ssl::stream_base::client, [&ec](error_code result) { ec = result; });
    RunToCompletion(m_io_context);
    ThrowIf(ec, "handshake");
}

HttpsClient::~HttpsClient()
{
    error_code ec;
    beast::get_lowest_layer(m_stream).socket().close(ec);
}

HttpsResponse HttpsClient::Send(std::string_view method, std::string_view target, std::string body,
                                const Headers& headers)
{
    http::request<http::string_body> request;
    request.method_string(method);
    request.target(target);
    request.version(11);
    request.set(http::field::host, m_host);
    request.set(http::field::user_agent, "wijkbudget-test");
    for (const auto& [name, value] : headers)
        request.insert(name, value);
    request.body() = std::move(body);
    if (!request.body().empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        request.prepare_payload();
    }

    error_code ec;
    beast::get_lowest_layer(m_stream).expires_after(m_options.timeout);
    http::async_write(m_stream, request, [&ec](error_code result, std::size_t) { ec = result; });
    RunToCompletion(m_io_context);
    ThrowIf(ec, "write");

    auto response = TryReadResponse(method == "HEAD");
    if (!response) throw boost::system::system_error{response.error(), "read"};
    return std::move(*response);
}

void HttpsClient::WriteRaw(std::string_view bytes)
{
    error_code ec;
    beast::get_lowest_layer(m_stream).expires_after(m_options.timeout);
    net::async_write(m_stream, net::buffer(bytes.data(), bytes.size()),
                     [&ec](error_code result, std::size_t) { ec = result; });
    RunToCompletion(m_io_context);
    ThrowIf(ec, "write");
}

boost::system::result<HttpsResponse> HttpsClient::TryReadResponse(bool head)
{
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    // Test responses may be larger than Beast's default 8 MiB limit (ledger exports).
    parser.body_limit(std::uint64_t{1} << 30U);
    error_code ec;
    beast::get_lowest_layer(m_stream).expires_after(m_options.timeout);
    http::async_read(m_stream, m_buffer, parser,
                     [&ec](error_code result, std::size_t) { ec = result; });
    RunToCompletion(m_io_context);
    if (ec) return ec;

    const auto& message = parser.get();
    HttpsResponse response;
    response.status = message.result_int();
    for (const auto& field : message) {
        response.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
    }
    response.chunked = message.chunked();
    response.keep_alive = message.keep_alive();
    response.body = message.body();
    return response;
}

boost::system::error_code HttpsClient::WaitForClose(std::chrono::milliseconds timeout)
{
    std::array<char, 4096> discard{};
    beast::get_lowest_layer(m_stream).expires_after(timeout);
    for (;;) {
        error_code ec;
        m_stream.async_read_some(net::buffer(discard),
                                 [&ec](error_code result, std::size_t) { ec = result; });
        RunToCompletion(m_io_context);
        if (ec) return ec;
    }
}

void HttpsClient::Close()
{
    error_code ec;
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds{1});
    m_stream.async_shutdown([&ec](error_code result) { ec = result; });
    RunToCompletion(m_io_context);
    beast::get_lowest_layer(m_stream).socket().close(ec);
}

void HttpsClient::Reset()
{
    error_code ec;
    auto& socket = beast::get_lowest_layer(m_stream).socket();
    // A zero linger time makes close send RST instead of FIN.
    socket.set_option(net::socket_base::linger(true, 0), ec);
    socket.close(ec);
}

} // namespace wijkbudget::test

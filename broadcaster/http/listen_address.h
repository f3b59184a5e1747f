// Listen addresses as configuration writes them: "127.0.0.1:8080",
// "[::1]:8080", ":8080" (every IPv4 interface), "localhost:8080".
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace broadcaster::http {

/// Parses "HOST:PORT", "[IPV6]:PORT" or ":PORT" into an endpoint. HOST is an
/// IP address or "localhost" (127.0.0.1; no DNS, nothing blocks); an empty
/// HOST means 0.0.0.0. PORT is 0..65535 (0 lets the kernel pick). Throws
/// broadcaster::ConfigError (no file position: the caller may add one) whose
/// message quotes `text` and shows the accepted forms.
[[nodiscard]] boost::asio::ip::tcp::endpoint parse_listen_address(const std::string& text);

}  // namespace broadcaster::http

// Parsing of listen addresses (see listen_address.h).
#include "http/listen_address.h"

#include <boost/asio/ip/address.hpp>
#include <string_view>

#include "util/errors.h"

namespace broadcaster::http {

namespace {

constexpr std::string_view kForms = "write HOST:PORT, [IPV6]:PORT or :PORT, e.g. 127.0.0.1:8080";

[[noreturn]] void fail(const std::string& text, std::string_view why) {
  throw ConfigError("listen address '" + text + "': " + std::string(why) + "; " +
                    std::string(kForms));
}

unsigned short parse_port(const std::string& text, std::string_view port) {
  if (port.empty()) fail(text, "the port is missing");
  if (port.size() > 5) fail(text, "the port must be 0..65535");
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') fail(text, "the port must be a number");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) fail(text, "the port must be 0..65535");
  return static_cast<unsigned short>(value);
}

}  // namespace

boost::asio::ip::tcp::endpoint parse_listen_address(const std::string& text) {
  const std::string_view s = text;
  std::string_view host;
  std::string_view port;
  bool bracketed = false;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) fail(text, "'[' without ']'");
    host = s.substr(1, close - 1);
    const std::string_view rest = s.substr(close + 1);
    if (rest.empty() || rest.front() != ':') fail(text, "expected ':PORT' after ']'");
    port = rest.substr(1);
    bracketed = true;
    if (host.empty()) fail(text, "the address in brackets is empty");
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos) fail(text, "the port is missing");
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      fail(text, "put an IPv6 address in brackets, e.g. [::1]:8080");
    }
  }
  const unsigned short port_number = parse_port(text, port);

  if (host.empty()) return {boost::asio::ip::address_v4::any(), port_number};
  if (!bracketed && host == "localhost") {
    return {boost::asio::ip::address_v4::loopback(), port_number};
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) fail(text, "'" + std::string(host) + "' is not an IP address");
  if (bracketed != address.is_v6()) {
    fail(text, bracketed ? "only IPv6 addresses go in brackets" : "IPv6 addresses go in brackets");
  }
  return {address, port_number};
}

}  // namespace broadcaster::http

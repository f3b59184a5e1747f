// IP address ranges as configuration writes them ("10.0.0.0/8", "::1",
// "fd00::/8"), for the trusted proxies of http::Server; and the one place
// that turns an IPv4-mapped IPv6 peer (::ffff:127.0.0.1, what a dual-stack
// socket reports) back into its IPv4 address, so ranges, caps and logs see
// one form of each address.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>

namespace broadcaster::http {

/// `address` with an IPv4-mapped IPv6 address turned into plain IPv4;
/// anything else unchanged.
[[nodiscard]] boost::asio::ip::address normalized(const boost::asio::ip::address& address);

/// A network and prefix length: every address whose first `prefix_length`
/// bits equal the network's. An IPv4 range never contains an IPv6 address
/// and the other way round (compare normalized() addresses).
class AddressRange {
 public:
  /// The range of one address (/32 or /128).
  explicit AddressRange(const boost::asio::ip::address& address);
  /// `network` with bits beyond `prefix_length` cleared. Throws ConfigError
  /// when the prefix is longer than the address (32 for IPv4, 128 for IPv6).
  AddressRange(const boost::asio::ip::address& network, unsigned prefix_length);

  /// Whether `address` (normalized first) lies in the range.
  [[nodiscard]] bool contains(const boost::asio::ip::address& address) const;

  const boost::asio::ip::address& network() const noexcept { return network_; }
  unsigned prefix_length() const noexcept { return prefix_length_; }
  /// "10.0.0.0/8", "::1/128".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const AddressRange& a, const AddressRange& b) {
    return a.network_ == b.network_ && a.prefix_length_ == b.prefix_length_;
  }

 private:
  boost::asio::ip::address network_;
  unsigned prefix_length_;
};

/// Parses "ADDRESS" or "ADDRESS/PREFIX" (IPv4 or IPv6, no brackets, no
/// names). Host bits set in a CIDR ("10.1.2.3/8") are refused: that is
/// usually a typo for a /32 or a different prefix. Throws ConfigError (no
/// file position: the caller adds one) quoting `text`.
[[nodiscard]] AddressRange parse_address_range(const std::string& text);

}  // namespace broadcaster::http

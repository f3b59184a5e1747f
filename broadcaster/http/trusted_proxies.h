// The reverse proxies whose X-Forwarded-For header the server believes, and
// how it finds the client behind them.
// Design: each proxy appends the address it received the request from, so
// X-Forwarded-For reads "client, proxy1, proxy2" and only the entries our
// own proxies wrote can be believed: anything left of them was written by
// whoever sent the request, and a client can put any address there. So the
// client is found walking from the right, starting at the TCP peer: while
// the hop is a trusted proxy, step one entry left; the first untrusted hop
// is the client. A peer that is not a trusted proxy is the client and its
// header is ignored. An entry that is not an address stops the walk at the
// last trusted hop; when every hop is trusted (no header, or the request
// came from one of our own machines) the leftmost trusted hop is the client.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string_view>
#include <vector>

#include "http/address_range.h"

namespace broadcaster::http {

/// A list of trusted proxy ranges; empty trusts nobody.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<AddressRange> ranges) : ranges_(std::move(ranges)) {}

  /// Whether `address` (normalized) lies in one of the ranges.
  [[nodiscard]] bool trusts(const boost::asio::ip::address& address) const;

  /// The client's address for a request whose TCP peer is `peer` and whose
  /// X-Forwarded-For header lines are `forwarded_for` (in the order they
  /// appear; several lines count as one comma-separated list). Entries may
  /// be "192.0.2.7", "192.0.2.7:4711", "2001:db8::7" or "[2001:db8::7]:4711",
  /// with optional spaces. See the Design comment for which entry wins. The
  /// result is normalized(). Linear in the header's length; never throws.
  [[nodiscard]] boost::asio::ip::address client_address(const boost::asio::ip::address& peer,
                                                        const std::vector<std::string_view>& forwarded_for) const;

  [[nodiscard]] bool empty() const noexcept { return ranges_.empty(); }
  [[nodiscard]] const std::vector<AddressRange>& ranges() const noexcept { return ranges_; }

 private:
  std::vector<AddressRange> ranges_;
};

}  // namespace broadcaster::http

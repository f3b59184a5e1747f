// Address ranges and normalization (see address_range.h).
#include "http/address_range.h"

#include <array>
#include <cstddef>
#include <string_view>

#include "util/errors.h"

namespace broadcaster::http {

namespace ip = boost::asio::ip;

namespace {

/// The address as 16 bytes (IPv4 in the first 4) and its bit width.
struct Bits {
  std::array<unsigned char, 16> bytes{};
  unsigned width = 0;
};

Bits bits_of(const ip::address& address) {
  Bits b;
  if (address.is_v4()) {
    const auto v4 = address.to_v4().to_bytes();
    for (std::size_t i = 0; i < v4.size(); ++i) b.bytes[i] = v4[i];
    b.width = 32;
  } else {
    b.bytes = address.to_v6().to_bytes();
    b.width = 128;
  }
  return b;
}

/// Whether the first `prefix` bits of `a` and `b` agree.
bool same_prefix(const Bits& a, const Bits& b, unsigned prefix) {
  const unsigned whole = prefix / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a.bytes[i] != b.bytes[i]) return false;
  }
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFFu << (8 - rest));
  return (a.bytes[whole] & mask) == (b.bytes[whole] & mask);
}

ip::address with_prefix_only(const ip::address& address, unsigned prefix) {
  Bits b = bits_of(address);
  for (unsigned bit = prefix; bit < b.width; ++bit) {
    b.bytes[bit / 8] = static_cast<unsigned char>(b.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
  }
  if (address.is_v4()) return ip::address_v4({b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]});
  return ip::address_v6(b.bytes);
}

[[noreturn]] void fail(const std::string& text, std::string_view why) {
  throw ConfigError("address range '" + text + "': " + std::string(why) +
                    "; write an IP address or a CIDR range, e.g. 127.0.0.1, 10.0.0.0/8 or fd00::/8");
}

}  // namespace

ip::address normalized(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

AddressRange::AddressRange(const ip::address& address)
    : network_(normalized(address)), prefix_length_(network_.is_v4() ? 32 : 128) {}

AddressRange::AddressRange(const ip::address& network, unsigned prefix_length)
    : network_(normalized(network)), prefix_length_(prefix_length) {
  const unsigned width = network_.is_v4() ? 32 : 128;
  if (prefix_length_ > width) {
    throw ConfigError("prefix /" + std::to_string(prefix_length) + " is longer than the " + std::to_string(width) +
                      " bits of " + network_.to_string());
  }
  network_ = with_prefix_only(network_, prefix_length_);
}

bool AddressRange::contains(const ip::address& address) const {
  const ip::address a = normalized(address);
  if (a.is_v4() != network_.is_v4()) return false;
  return same_prefix(bits_of(a), bits_of(network_), prefix_length_);
}

std::string AddressRange::to_string() const { return network_.to_string() + "/" + std::to_string(prefix_length_); }

AddressRange parse_address_range(const std::string& text) {
  const std::string_view s = text;
  const auto slash = s.find('/');
  const std::string host(s.substr(0, slash));
  boost::system::error_code ec;
  const ip::address address = ip::make_address(host, ec);
  if (ec || host.empty()) fail(text, "'" + host + "' is not an IP address");
  if (slash == std::string_view::npos) return AddressRange(address);

  const std::string_view digits = s.substr(slash + 1);
  const unsigned width = normalized(address).is_v4() ? 32 : 128;
  if (digits.empty() || digits.size() > 3) fail(text, "the prefix length must be 0.." + std::to_string(width));
  unsigned prefix = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') fail(text, "the prefix length must be a number");
    prefix = prefix * 10 + static_cast<unsigned>(c - '0');
  }
  if (prefix > width) fail(text, "the prefix length must be 0.." + std::to_string(width));
  const AddressRange range(address, prefix);
  if (range.network() != normalized(address)) {
    fail(text,
         "the address has bits set beyond /" + std::to_string(prefix) + " (did you mean " + range.to_string() + "?)");
  }
  return range;
}

}  // namespace broadcaster::http

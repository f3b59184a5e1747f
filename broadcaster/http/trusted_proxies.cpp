// X-Forwarded-For resolution (see trusted_proxies.h).
#include "http/trusted_proxies.h"

#include <optional>
#include <string>

namespace broadcaster::http {

namespace ip = boost::asio::ip;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// One X-Forwarded-For entry as an address, without any port; nullopt for
/// anything else ("unknown", obfuscated identifiers, garbage).
std::optional<ip::address> parse_hop(std::string_view entry) {
  entry = trim(entry);
  if (entry.empty() || entry.size() > 64) return std::nullopt;
  std::string_view host = entry;
  if (entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = entry.substr(1, close - 1);
  } else if (const auto colon = entry.find(':');
             colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    host = entry.substr(0, colon);  // IPv4 with a port; more colons: bare IPv6
  }
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return normalized(address);
}

}  // namespace

bool TrustedProxies::trusts(const ip::address& address) const {
  const ip::address a = normalized(address);
  for (const auto& range : ranges_) {
    if (range.contains(a)) return true;
  }
  return false;
}

ip::address TrustedProxies::client_address(const ip::address& peer,
                                           const std::vector<std::string_view>& forwarded_for) const {
  ip::address client = normalized(peer);
  if (!trusts(client)) return client;
  // Right to left: the last header line first, each line's entries from its end.
  for (auto line = forwarded_for.rbegin(); line != forwarded_for.rend(); ++line) {
    std::string_view rest = *line;
    while (!rest.empty()) {
      const auto comma = rest.rfind(',');
      const std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
      if (trim(entry).empty()) continue;  // "a, , b": skip empty elements, as the list syntax allows
      const auto hop = parse_hop(entry);
      if (!hop) return client;  // not an address: stop at the last trusted hop
      client = *hop;
      if (!trusts(client)) return client;
    }
  }
  return client;
}

}  // namespace broadcaster::http

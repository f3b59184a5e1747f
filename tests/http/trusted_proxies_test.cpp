// Which X-Forwarded-For entry names the client: the rightmost hop that is
// not one of our trusted proxies, and only when the TCP peer is one.
#include "http/trusted_proxies.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bh = broadcaster::http;
using boost::asio::ip::make_address;

TEST_CASE("the client is the rightmost untrusted hop", "[http][trusted_proxies]") {
  const bh::TrustedProxies proxies({bh::parse_address_range("127.0.0.1"), bh::parse_address_range("10.0.0.0/8")});
  struct Case {
    const char* label;
    const char* peer;
    std::vector<std::string_view> header;  // one element per header line
    const char* client;
  };
  const Case cases[] = {
      {"a peer that is no proxy: the header is ignored", "203.0.113.5", {"198.51.100.1"}, "203.0.113.5"},
      {"a trusted proxy without the header: the proxy", "127.0.0.1", {}, "127.0.0.1"},
      {"a trusted proxy naming the client", "127.0.0.1", {"198.51.100.1"}, "198.51.100.1"},
      {"a client's own entry left of it is not believed", "127.0.0.1", {"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
      {"a chain of trusted proxies", "10.0.0.2", {"198.51.100.1, 10.1.1.1, 10.2.2.2"}, "198.51.100.1"},
      {"an untrusted hop in the middle stops the walk",
       "127.0.0.1",
       {"198.51.100.1, 203.0.113.7, 10.1.1.1"},
       "203.0.113.7"},
      {"every hop trusted: the leftmost", "127.0.0.1", {"10.1.1.1, 10.2.2.2"}, "10.1.1.1"},
      {"garbage right after a trusted hop: that hop", "127.0.0.1", {"198.51.100.1, 10.1.1.1, unknown"}, "127.0.0.1"},
      {"garbage left of the client does not matter", "127.0.0.1", {"junk, 198.51.100.1"}, "198.51.100.1"},
      {"an IPv4 entry with a port", "127.0.0.1", {"198.51.100.1:4711"}, "198.51.100.1"},
      {"an IPv6 entry in brackets with a port", "127.0.0.1", {"[2001:db8::7]:4711"}, "2001:db8::7"},
      {"a bare IPv6 entry", "127.0.0.1", {"2001:db8::7"}, "2001:db8::7"},
      {"an IPv4-mapped entry", "127.0.0.1", {"::ffff:198.51.100.1"}, "198.51.100.1"},
      {"spaces and empty elements", "127.0.0.1", {"  198.51.100.1 ,, 10.1.1.1 , "}, "198.51.100.1"},
      {"two header lines are one list, the last line rightmost",
       "127.0.0.1",
       {"6.6.6.6", "198.51.100.1, 10.1.1.1"},
       "198.51.100.1"},
      {"the last line holds only proxies", "127.0.0.1", {"198.51.100.1", "10.1.1.1"}, "198.51.100.1"},
      {"a mapped peer is trusted as its IPv4 address", "::ffff:127.0.0.1", {"198.51.100.1"}, "198.51.100.1"},
      {"an untrusted mapped peer comes back as IPv4", "::ffff:203.0.113.5", {"198.51.100.1"}, "203.0.113.5"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(proxies.client_address(make_address(c.peer), c.header) == make_address(c.client));
    }
  }
}

TEST_CASE("with no trusted proxies every header is ignored", "[http][trusted_proxies]") {
  const bh::TrustedProxies nobody;
  CHECK(nobody.empty());
  CHECK_FALSE(nobody.trusts(make_address("127.0.0.1")));
  CHECK(nobody.client_address(make_address("127.0.0.1"), {"198.51.100.1"}) == make_address("127.0.0.1"));
}

TEST_CASE("a long header is walked only as far as the trusted hops go", "[http][trusted_proxies]") {
  const bh::TrustedProxies proxies({bh::parse_address_range("127.0.0.1")});
  std::string header;
  for (int i = 0; i < 2000; ++i) header += "6.6.6.6, ";
  header += "198.51.100.1";
  CHECK(proxies.client_address(make_address("127.0.0.1"), {header}) == make_address("198.51.100.1"));
}

// Address ranges for trusted proxies: CIDR matching at the prefix
// boundaries, IPv4-mapped peers, and the mistakes parsing refuses.
#include "http/address_range.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/errors.h"

namespace bh = broadcaster::http;
using boost::asio::ip::make_address;

TEST_CASE("a range contains exactly the addresses under its prefix", "[http][address_range]") {
  struct Case {
    const char* range;
    const char* address;
    bool contains;
  };
  const Case cases[] = {
      {"127.0.0.1", "127.0.0.1", true},
      {"127.0.0.1", "127.0.0.2", false},
      {"10.0.0.0/8", "10.0.0.0", true},
      {"10.0.0.0/8", "10.255.255.255", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"10.0.0.0/8", "9.255.255.255", false},
      {"192.168.1.0/25", "192.168.1.127", true},
      {"192.168.1.0/25", "192.168.1.128", false},
      {"172.16.0.0/12", "172.31.255.1", true},
      {"172.16.0.0/12", "172.32.0.1", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::1", false},      // an IPv4 range holds no IPv6 address
      {"10.0.0.0/8", "::ffff:10.1.2.3", true},  // a dual-stack socket's view of an IPv4 peer
      {"::1", "::1", true},
      {"::1", "127.0.0.1", false},
      {"fd00::/8", "fd12:3456::1", true},
      {"fd00::/8", "fe80::1", false},
      {"2001:db8::/33", "2001:db8:7fff::1", true},
      {"2001:db8::/33", "2001:db8:8000::1", false},
      {"::/0", "2001:db8::1", true},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.range << " contains " << c.address << ": " << c.contains) {
      CHECK(bh::parse_address_range(c.range).contains(make_address(c.address)) == c.contains);
    }
  }
}

TEST_CASE("ranges print as network/prefix", "[http][address_range]") {
  CHECK(bh::parse_address_range("127.0.0.1").to_string() == "127.0.0.1/32");
  CHECK(bh::parse_address_range("10.0.0.0/8").to_string() == "10.0.0.0/8");
  CHECK(bh::parse_address_range("fd00::/8").to_string() == "fd00::/8");
  CHECK(bh::parse_address_range("::ffff:127.0.0.1").to_string() == "127.0.0.1/32");
  CHECK(bh::normalized(make_address("::ffff:192.0.2.1")) == make_address("192.0.2.1"));
  CHECK(bh::normalized(make_address("2001:db8::1")) == make_address("2001:db8::1"));
}

TEST_CASE("address ranges that are not addresses or CIDR are refused with the text quoted", "[http][address_range]") {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"", "is not an IP address"},
      {"localhost", "'localhost' is not an IP address"},
      {"10.0.0", "is not an IP address"},
      {"[::1]", "is not an IP address"},
      {"10.0.0.0/", "prefix length must be 0..32"},
      {"10.0.0.0/33", "prefix length must be 0..32"},
      {"::1/129", "prefix length must be 0..128"},
      {"10.0.0.0/x", "must be a number"},
      {"10.0.0.0/-1", "must be a number"},
      {"10.1.2.3/8", "did you mean 10.0.0.0/8?"},
      {"/8", "is not an IP address"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("'" << c.text << "'") {
      try {
        (void)bh::parse_address_range(c.text);
        FAIL("expected a ConfigError");
      } catch (const broadcaster::ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains("'" + std::string(c.text) + "'") && Catch::Contains(c.says));
      }
    }
  }
}

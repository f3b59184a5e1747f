// Listen addresses as broadcaster.yaml writes them, and the messages a user
// gets for the ones that are wrong.
#include "http/listen_address.h"

#include <catch2/catch.hpp>
#include <string>

#include "util/errors.h"

namespace bh = broadcaster::http;

TEST_CASE("listen addresses parse into endpoints", "[http][listen_address]") {
  struct Case {
    const char* label;
    const char* text;
    const char* address;
    unsigned short port;
  };
  const Case cases[] = {
      {"IPv4 and port", "127.0.0.1:8080", "127.0.0.1", 8080},
      {"every interface", "0.0.0.0:80", "0.0.0.0", 80},
      {"empty host means every IPv4 interface", ":8081", "0.0.0.0", 8081},
      {"localhost without DNS", "localhost:9000", "127.0.0.1", 9000},
      {"IPv6 loopback in brackets", "[::1]:8443", "::1", 8443},
      {"IPv6 any in brackets", "[::]:8080", "::", 8080},
      {"port 0 picks a free port", "127.0.0.1:0", "127.0.0.1", 0},
      {"the highest port", "127.0.0.1:65535", "127.0.0.1", 65535},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto endpoint = bh::parse_listen_address(c.text);
      CHECK(endpoint.address().to_string() == c.address);
      CHECK(endpoint.port() == c.port);
    }
  }
}

TEST_CASE("bad listen addresses are refused with a message saying why", "[http][listen_address]") {
  struct Case {
    const char* label;
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"empty", "", "the port is missing"},
      {"no port", "127.0.0.1", "the port is missing"},
      {"empty port", "127.0.0.1:", "the port is missing"},
      {"port not a number", "127.0.0.1:http", "the port must be a number"},
      {"port too large", "127.0.0.1:65536", "the port must be 0..65535"},
      {"port far too large", "127.0.0.1:8080808", "the port must be 0..65535"},
      {"negative port", "127.0.0.1:-1", "the port must be a number"},
      {"host name", "example.org:80", "'example.org' is not an IP address"},
      {"bad IPv4", "127.0.0.256:80", "'127.0.0.256' is not an IP address"},
      {"IPv6 without brackets", "::1:8080", "put an IPv6 address in brackets"},
      {"unclosed bracket", "[::1:8080", "'[' without ']'"},
      {"nothing after the bracket", "[::1]", "expected ':PORT' after ']'"},
      {"empty brackets", "[]:80", "the address in brackets is empty"},
      {"IPv4 in brackets", "[127.0.0.1]:80", "only IPv6 addresses go in brackets"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string quoted = std::string("listen address '") + c.text + "'";
      CHECK_THROWS_AS(bh::parse_listen_address(c.text), broadcaster::ConfigError);
      CHECK_THROWS_WITH(bh::parse_listen_address(c.text),
                        Catch::StartsWith(quoted) && Catch::Contains(c.says) && Catch::Contains("e.g. 127.0.0.1:8080"));
    }
  }
}

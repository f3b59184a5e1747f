// Decoding and encoding of HTTP Basic credentials.
#include "simulator/basic_auth.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace sim = broadcaster::simulator;

TEST_CASE("parse_basic_auth decodes Basic headers", "[simulator][basic_auth]") {
  struct Case {
    const char* label;
    std::string header;
    std::optional<std::pair<std::string, std::string>> expected;
  };
  const std::vector<Case> cases = {
      // "AC1:tok" and "user:pa:ss" in base64.
      {"plain", "Basic QUMxOnRvaw==", std::pair<std::string, std::string>{"AC1", "tok"}},
      {"without padding", "Basic QUMxOnRvaw", std::pair<std::string, std::string>{"AC1", "tok"}},
      {"scheme case", "bAsIc QUMxOnRvaw==", std::pair<std::string, std::string>{"AC1", "tok"}},
      {"spaces", "  Basic   QUMxOnRvaw==  ", std::pair<std::string, std::string>{"AC1", "tok"}},
      {"colon in password",
       "Basic dXNlcjpwYTpzcw==", std::pair<std::string, std::string>{"user", "pa:ss"}},
      {"empty", "", std::nullopt},
      {"bearer", "Bearer QUMxOnRvaw==", std::nullopt},
      {"scheme only", "Basic", std::nullopt},
      {"not base64", "Basic ***", std::nullopt},
      {"no colon", "Basic QUMx", std::nullopt},  // "AC1"
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto parsed = sim::parse_basic_auth(c.header);
      REQUIRE(parsed.has_value() == c.expected.has_value());
      if (parsed) {
        CHECK(parsed->user == c.expected->first);
        CHECK(parsed->password == c.expected->second);
      }
    }
  }
}

TEST_CASE("make_basic_auth round-trips", "[simulator][basic_auth]") {
  for (const std::string password : {"", "a", "ab", "abc", "sim-auth-token", "p:w\xc3\xa9"}) {
    DYNAMIC_SECTION("password of " << password.size() << " bytes") {
      const auto header = sim::make_basic_auth("AC0123456789abcdef0123456789abcdef", password);
      const auto parsed = sim::parse_basic_auth(header);
      REQUIRE(parsed);
      CHECK(parsed->user == "AC0123456789abcdef0123456789abcdef");
      CHECK(parsed->password == password);
    }
  }
  CHECK(sim::make_basic_auth("AC1", "tok") == "Basic QUMxOnRvaw==");
}

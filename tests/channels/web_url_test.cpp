// URLs given to a provider: what an HTTP client can request passes, and the
// mistakes staff make in a YAML file are named.
#include "channels/web_url.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using broadcaster::channels::web_url_problem;

TEST_CASE("a provider URL is an absolute http(s) URL with a host and no spaces") {
  for (const char* good : {"https://hooks.example.org/twilio/status", "http://127.0.0.1:8080/status?x=1",
                           "https://[::1]:8443/status", "https://hooks.example.org/a%20b"}) {
    DYNAMIC_SECTION(good) { CHECK_FALSE(web_url_problem(good)); }
  }
  struct Bad {
    const char* url;
    const char* why;
  };
  const std::vector<Bad> bad = {
      {"https://hooks.example.org/twilio status", "has a space in it"},
      {"hooks.example.org/status", "is not an http:// or https:// URL"},
      {"ftp://hooks.example.org/status", "is not an http:// or https:// URL"},
      {"https://", "not a valid URL"},
      {"https://hooks.example.org/\n", "control character"},
      {"", "is not an http:// or https:// URL"},
  };
  for (const Bad& b : bad) {
    DYNAMIC_SECTION(b.url) {
      const auto problem = web_url_problem(b.url);
      REQUIRE(problem);
      CHECK_THAT(*problem, Catch::Matchers::Contains(b.why));
    }
  }
}

// The status page's bearer token: read from the environment, never quoted
// in errors, and only the exact token is let in.
#include "status/access_token.h"

#include <catch2/catch.hpp>
#include <map>

#include "util/errors.h"

using namespace broadcaster;
using status::AccessToken;

namespace {

channels::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("a status token that is missing or short stops serve, saying what to set", "[status][token]") {
  CHECK_THROWS_WITH(AccessToken::from_environment("BROADCASTER_STATUS_TOKEN", env_of({})),
                    Catch::Contains("BROADCASTER_STATUS_TOKEN is not set") && Catch::Contains("openssl rand"));
  CHECK_THROWS_WITH(AccessToken::from_environment("MY_TOKEN", env_of({{"MY_TOKEN", ""}})),
                    Catch::Contains("MY_TOKEN is not set"));
  CHECK_THROWS_WITH(AccessToken::from_environment("MY_TOKEN", env_of({{"MY_TOKEN", "s3cr3t-short"}})),
                    Catch::Contains("too short") && !Catch::Contains("s3cr3t"));
  CHECK_NOTHROW(AccessToken::from_environment("MY_TOKEN", env_of({{"MY_TOKEN", "0123456789abcdef0"}})));
}

TEST_CASE("only 'Bearer' and the exact token are let in", "[status][token]") {
  const std::string token = "9f3c0a7d1e5b2468ace13579bdf02468";
  const AccessToken t = AccessToken::from_environment("T", env_of({{"T", token}}));
  CHECK(t.admits("Bearer " + token));
  CHECK(t.admits("bearer " + token));
  CHECK(t.admits("BEARER  " + token + " "));
  CHECK_FALSE(t.admits(""));
  CHECK_FALSE(t.admits("Bearer "));
  CHECK_FALSE(t.admits("Bearer " + token + "x"));
  CHECK_FALSE(t.admits("Bearer " + token.substr(1)));
  CHECK_FALSE(t.admits(token));
  CHECK_FALSE(t.admits("Basic " + token));
  CHECK_FALSE(t.admits("Bearer " + std::string(token.size(), 'a')));
}

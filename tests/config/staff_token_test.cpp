// Staff tokens: fresh ones are random and recognisable, their hashes match
// what is configured, and the caller is found (or refused) from the
// environment.
#include "config/staff_token.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "config/config.h"
#include "util/errors.h"

using namespace broadcaster;
using config::Staff;

namespace {

/// A configuration naming Ana (token "ana-token") and Luis (a fresh token).
struct StaffFixture {
  std::string luis_token = config::new_staff_token();
  config::Config cfg = [this] {
    config::Config c;
    c.file = "/etc/broadcaster/broadcaster.yaml";
    c.staff = {staff("Ana Ruiz", "ana-token"), staff("Luis Vang", luis_token)};
    return c;
  }();

  static Staff staff(const std::string& name, const std::string& token) {
    Staff s;
    s.name = name;
    s.token_sha256 = config::token_sha256_hex(token);
    for (std::size_t i = 0; i < s.token_digest.size(); ++i) {
      s.token_digest[i] = static_cast<unsigned char>(std::stoi(s.token_sha256.substr(2 * i, 2), nullptr, 16));
    }
    return s;
  }
};

channels::EnvLookup env_with(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("a token's hash is its SHA-256 in lowercase hex") {
  CHECK(config::token_sha256_hex("test") == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  CHECK(config::token_sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("fresh tokens carry the prefix, 32 random bytes in base64url, and differ") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string token = config::new_staff_token();
    REQUIRE(token.starts_with(config::kStaffTokenPrefix));
    const std::string body = token.substr(config::kStaffTokenPrefix.size());
    CHECK(body.size() == 43);  // ceil(32 * 4 / 3), no padding
    CHECK(body.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    seen.insert(token);
  }
  CHECK(seen.size() == 50);
}

TEST_CASE("authenticate finds the person whose hash matches, and no one otherwise") {
  StaffFixture f;
  struct Case {
    const char* label;
    std::string token;
    const char* expected;  // name, or nullptr for no one
  };
  const Case cases[] = {
      {"Ana's token", "ana-token", "Ana Ruiz"},
      {"Luis's fresh token", f.luis_token, "Luis Vang"},
      {"a wrong token", "ana-tokem", nullptr},
      {"a token with a trailing newline", "ana-token\n", nullptr},
      {"the hash instead of the token", config::token_sha256_hex("ana-token"), nullptr},
      {"an empty token", "", nullptr},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const Staff* who = config::authenticate(f.cfg, c.token);
      if (c.expected) {
        REQUIRE(who != nullptr);
        CHECK(who->name == c.expected);
        CHECK(who == &f.cfg.staff[c.expected == std::string("Ana Ruiz") ? 0 : 1]);
      } else {
        CHECK(who == nullptr);
      }
    }
  }
  CHECK(config::authenticate(std::vector<Staff>{}, "ana-token") == nullptr);
}

TEST_CASE("the caller comes from BROADCASTER_STAFF_TOKEN, or the error says what to set") {
  StaffFixture f;
  CHECK(config::caller_from_environment(f.cfg, env_with({{"BROADCASTER_STAFF_TOKEN", f.luis_token}})).name ==
        "Luis Vang");

  struct Case {
    const char* label;
    std::map<std::string, std::string> env;
    bool no_staff;
    const char* fragment;
  };
  const Case cases[] = {
      {"unset", {}, false, "set BROADCASTER_STAFF_TOKEN to your personal staff token"},
      {"empty", {{"BROADCASTER_STAFF_TOKEN", ""}}, false, "set BROADCASTER_STAFF_TOKEN"},
      {"unknown token",
       {{"BROADCASTER_STAFF_TOKEN", "bcst_not-anyones-SECRET"}},
       false,
       "matches no one under 'staff:' in /etc/broadcaster/broadcaster.yaml"},
      {"no staff configured", {{"BROADCASTER_STAFF_TOKEN", "ana-token"}}, true, "names no staff"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      config::Config cfg = f.cfg;
      if (c.no_staff) cfg.staff.clear();
      try {
        (void)config::caller_from_environment(cfg, env_with(c.env));
        FAIL("expected an Error");
      } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(c.fragment));
        CHECK_THAT(e.what(), !Catch::Contains("SECRET"));  // the token is never quoted
      }
    }
  }
}

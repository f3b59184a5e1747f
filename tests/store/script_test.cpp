// Script: the SHA1 must be the one Redis computes, or EVALSHA never hits.
#include "store/script.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "store/redis_client.h"
#include "support/redis_server.h"

namespace broadcaster::store {
namespace {

TEST_CASE("Script computes the SHA1 Redis names scripts by", "[script]") {
  struct Case {
    const char* label;
    std::string source;
    const char* sha1;  // from sha1sum
  };
  const std::vector<Case> cases = {
      {"empty", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"one line", "return 1", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"},
      {"UTF-8", "return \"\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87\"",
       "3e66dfe2919e4722a79305403df4b4f73c1ccb7e"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const Script script("t", c.source);
      CHECK(script.sha1() == c.sha1);
      CHECK(script.source() == c.source);
      CHECK(script.name() == "t");
    }
  }
}

TEST_CASE("Script's SHA1 matches redis-server's SCRIPT LOAD answer", "[script][redis]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  const std::vector<std::string> sources = {
      "return 1",
      "-- multi-line, with a trailing newline\nlocal n = redis.call('INCR', KEYS[1])\nreturn n\n",
      std::string("return '\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87'"),
  };
  for (const auto& source : sources) {
    const Script script("s", source);
    CHECK(client.command({"SCRIPT", "LOAD", source}).as_string() == script.sha1());
  }
}

}  // namespace
}  // namespace broadcaster::store

// Message SID shape and uniqueness.
#include "simulator/sid_generator.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

namespace sim = broadcaster::simulator;

TEST_CASE("SidGenerator makes unique Twilio-shaped SIDs", "[simulator][sid]") {
  sim::SidGenerator sids;
  const std::regex pattern("^SM[0-9a-f]{32}$");  // the schema's ^(SM|MM)[0-9a-fA-F]{32}$
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const auto sid = sids.next();
    REQUIRE(std::regex_match(sid, pattern));
    REQUIRE(seen.insert(sid).second);
  }
}

TEST_CASE("SidGenerator with a seed is deterministic", "[simulator][sid]") {
  sim::SidGenerator a(42);
  sim::SidGenerator b(42);
  sim::SidGenerator c(43);
  const auto first = a.next();
  CHECK(first == b.next());
  CHECK(first != c.next());
  CHECK(a.next("MM").substr(0, 2) == "MM");
}

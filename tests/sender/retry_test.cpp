// Backoff between retries: exponential, jittered, capped, never sooner than Retry-After.
#include <catch2/catch.hpp>

#include <set>

#include "sender/retry.h"

using broadcaster::sender::backoff_delay;
using std::chrono::milliseconds;

TEST_CASE("backoff doubles per attempt within its jitter band and stops at the cap") {
  std::mt19937_64 rng(42);
  struct Case {
    const char* label;
    int attempt;
    long low, high;
  };
  const Case cases[] = {
      {"first retry", 1, 250, 500},
      {"second retry", 2, 500, 1000},
      {"third retry", 3, 1000, 2000},
      {"capped", 12, 15000, 30000},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      for (int i = 0; i < 200; ++i) {
        const auto d = backoff_delay(c.attempt, milliseconds(500), milliseconds(30000), std::nullopt, rng);
        CHECK(d.count() >= c.low);
        CHECK(d.count() <= c.high);
      }
    }
  }
}

TEST_CASE("jitter spreads retries of messages that failed together") {
  std::mt19937_64 rng(7);
  std::set<long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(backoff_delay(3, milliseconds(500), milliseconds(30000), std::nullopt, rng).count());
  CHECK(seen.size() > 25);
}

TEST_CASE("a provider's Retry-After is a floor") {
  std::mt19937_64 rng(1);
  CHECK(backoff_delay(1, milliseconds(500), milliseconds(30000), milliseconds(5000), rng) == milliseconds(5000));
  const auto d = backoff_delay(4, milliseconds(500), milliseconds(30000), milliseconds(10), rng);
  CHECK(d.count() >= 2000);
}

// A process's measured share of a shared rate limit, with explicit times.
#include "sender/rate_share.h"

#include <catch2/catch.hpp>

using broadcaster::sender::RateShare;
using namespace std::chrono_literals;

TEST_CASE("before any measurement a process may hold what the whole limit sends in the horizon", "[rate-share]") {
  RateShare share(10s);
  const RateShare::TimePoint t0{};
  CHECK_FALSE(share.per_second(t0).has_value());
  CHECK(share.hold(t0, 200, 5s, 1000) == 1000);  // 200/s * 5 s, capped
  CHECK(share.hold(t0, 200, 2500ms, 1000) == 500);
  CHECK(share.hold(t0, 0.1, 5s, 1000) == 1);  // never zero
}

TEST_CASE("two processes splitting 200/s each measure about 100/s and hold half as much", "[rate-share]") {
  RateShare share(10s);
  const RateShare::TimePoint t0{};
  // Granted every 10 ms for 12 s: 100/s, this process's half of 200/s.
  for (int i = 0; i <= 1200; ++i) share.granted(t0 + i * 10ms);
  const auto now = t0 + 12s;
  REQUIRE(share.per_second(now).has_value());
  CHECK(*share.per_second(now) == Approx(100).epsilon(0.02));
  CHECK(share.hold(now, 200, 5s, 1000) == Approx(500).margin(10));
}

TEST_CASE("a process that stops getting slots measures zero and holds one", "[rate-share]") {
  RateShare share(10s);
  const RateShare::TimePoint t0{};
  for (int i = 0; i < 100; ++i) share.granted(t0 + i * 10ms);
  const auto later = t0 + 30s;
  CHECK(share.per_second(later) == Approx(0));
  CHECK(share.hold(later, 200, 5s, 1000) == 1);
}

TEST_CASE("the cap bounds what is held", "[rate-share]") {
  RateShare share(1s);
  const RateShare::TimePoint t0{};
  for (int i = 0; i < 1000; ++i) share.granted(t0 + i * 1ms);
  CHECK(share.hold(t0 + 1s, 1000, 10s, 64) == 64);
}

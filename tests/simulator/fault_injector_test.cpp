// Deterministic failure injection.
#include "simulator/fault_injector.h"

#include <catch2/catch.hpp>
#include <vector>

namespace sim = broadcaster::simulator;
using sim::Fault;

TEST_CASE("FaultInjector fails every Nth request", "[simulator][fault_injector]") {
  struct Case {
    const char* label;
    sim::FaultSchedule schedule;
    std::vector<Fault> first;  // outcomes of requests 1, 2, ...
  };
  const auto N = Fault::kNone;
  const auto R = Fault::kRateLimited;
  const auto S = Fault::kServerError;
  const auto H = Fault::kHtmlBadGateway;
  const std::vector<Case> cases = {
      {"off", {}, {N, N, N, N, N, N}},
      {"429 every 3", {3, 0, 0}, {N, N, R, N, N, R}},
      {"429 every 1", {1, 0, 0}, {R, R, R}},
      {"500 every 2", {0, 2, 0}, {N, S, N, S}},
      {"502 every 4", {0, 0, 4}, {N, N, N, H, N, N, N, H}},
      {"502 beats 500 beats 429", {2, 3, 6}, {N, R, S, R, N, H, N, R, S}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      sim::FaultInjector faults(c.schedule);
      for (std::size_t i = 0; i < c.first.size(); ++i) {
        INFO("request " << i + 1);
        CHECK(faults.next() == c.first[i]);
      }
      CHECK(faults.count() == c.first.size());
    }
  }
}

TEST_CASE("FaultInjector::reset restarts the count", "[simulator][fault_injector]") {
  sim::FaultInjector faults({2, 0, 0});
  CHECK(faults.next() == Fault::kNone);
  faults.reset();
  CHECK(faults.count() == 0);
  CHECK(faults.next() == Fault::kNone);
  CHECK(faults.next() == Fault::kRateLimited);
}

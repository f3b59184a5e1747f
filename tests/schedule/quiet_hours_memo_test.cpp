// The memo the sender asks before every message gives QuietHours' own
// answer at every instant: across the window's edges in several zones and
// states (Florida closes at 20:00), and on the night the clocks change.
#include "schedule/quiet_hours_memo.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace std::chrono;
using broadcaster::schedule::DayWindow;
using broadcaster::schedule::QuietHours;
using broadcaster::schedule::QuietHoursMemo;
using broadcaster::schedule::StateRules;
using broadcaster::schedule::TimePoint;

namespace {

TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days(year_month_day(year(y), month(mo), day(d))) + hours(h) + minutes(mi) + seconds(s);
}

}  // namespace

TEST_CASE("the quiet-hours memo answers as QuietHours does at every instant around the edges") {
  const QuietHours policy(DayWindow{},
                          StateRules::load(std::string(BC_SOURCE_DIR) + "/config/data/quiet_hours.yaml"));
  QuietHoursMemo memo(policy);
  struct Place {
    std::string zone;
    std::string state;
  };
  const std::vector<Place> places{{"America/Los_Angeles", "CA"}, {"America/New_York", "FL"},
                                  {"America/Chicago", ""},       {"Asia/Kolkata", ""},
                                  {"America/New_York", ""}};
  // Windows around 08:00, 20:00 and 21:00 on the East and West coasts and
  // in India (UTC+05:30), and the morning the US clocks went back
  // (2026-11-01), every 7 seconds: many instants share a minute, some
  // minutes hold an edge.
  const std::vector<std::pair<TimePoint, TimePoint>> spans{
      {utc(2026, 12, 4, 0, 50), utc(2026, 12, 4, 2, 10)},    // 19:50-21:10 New York
      {utc(2026, 12, 4, 4, 50), utc(2026, 12, 4, 5, 10)},    // 20:50-21:10 Los Angeles
      {utc(2026, 12, 4, 2, 20), utc(2026, 12, 4, 2, 40)},    // 07:50-08:10 Kolkata
      {utc(2026, 11, 1, 12, 40), utc(2026, 11, 1, 13, 20)},  // 07:40-08:20 New York, clocks just went back
  };
  int compared = 0, closed = 0;
  for (const auto& [from, to] : spans) {
    for (TimePoint t = from; t < to; t += seconds(7)) {
      for (const auto& p : places) {
        const TimePoint expected = policy.next_allowed(t, p.zone, p.state);
        INFO(p.zone << " " << p.state << " at " << duration_cast<seconds>(t.time_since_epoch()).count());
        REQUIRE(memo.next_allowed(t, p.zone, p.state) == expected);
        ++compared;
        if (expected > t) ++closed;
      }
    }
  }
  // Both answers were asked many times: open now, and open later.
  CHECK(compared > 4000);
  CHECK(closed > 500);
  CHECK(closed < compared - 500);
}

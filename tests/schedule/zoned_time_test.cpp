// Wall time <-> instant in IANA zones, across the US daylight-saving changes
// of 2026-11-01 (fall back) and 2027-03-14 (spring forward).
#include "schedule/zoned_time.h"

#include <catch2/catch.hpp>

#include "util/errors.h"

using namespace std::chrono;
using broadcaster::Error;
using broadcaster::schedule::LocalDateTime;
using broadcaster::schedule::parse_date;
using broadcaster::schedule::parse_time_of_day;
using broadcaster::schedule::TimePoint;
using broadcaster::schedule::to_instant;
using broadcaster::schedule::to_local;

namespace {

// An instant written in UTC.
TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days(year_month_day(year(y), month(mo), day(d))) + hours(h) + minutes(mi) + seconds(s);
}

LocalDateTime wall(int y, unsigned mo, unsigned d, int h, int mi) {
  return {year_month_day(year(y), month(mo), day(d)), h, mi};
}

}  // namespace

TEST_CASE("wall times map to instants, with the gap and overlap rules") {
  struct Case {
    const char* label;
    LocalDateTime local;
    const char* zone;
    TimePoint instant;
  };
  const Case cases[] = {
      {"winter in Los Angeles is UTC-8", wall(2026, 12, 8, 10, 0), "America/Los_Angeles", utc(2026, 12, 8, 18, 0)},
      {"summer in Los Angeles is UTC-7", wall(2026, 7, 1, 10, 0), "America/Los_Angeles", utc(2026, 7, 1, 17, 0)},
      {"10:00 on the spring-forward day is PDT", wall(2027, 3, 14, 10, 0), "America/Los_Angeles",
       utc(2027, 3, 14, 17, 0)},
      {"01:59 just before the gap is PST", wall(2027, 3, 14, 1, 59), "America/Los_Angeles", utc(2027, 3, 14, 9, 59)},
      {"02:00, the gap's start, is 03:00 PDT", wall(2027, 3, 14, 2, 0), "America/Los_Angeles", utc(2027, 3, 14, 10, 0)},
      {"02:30 in the gap is 03:30 PDT", wall(2027, 3, 14, 2, 30), "America/Los_Angeles", utc(2027, 3, 14, 10, 30)},
      {"03:00, just after the gap, is PDT", wall(2027, 3, 14, 3, 0), "America/Los_Angeles", utc(2027, 3, 14, 10, 0)},
      {"01:30 in the overlap is the first one (PDT)", wall(2026, 11, 1, 1, 30), "America/Los_Angeles",
       utc(2026, 11, 1, 8, 30)},
      {"02:00 after the overlap is PST", wall(2026, 11, 1, 2, 0), "America/Los_Angeles", utc(2026, 11, 1, 10, 0)},
      {"10:00 on the fall-back day is PST", wall(2026, 11, 1, 10, 0), "America/Los_Angeles", utc(2026, 11, 1, 18, 0)},
      {"Phoenix keeps UTC-7 in March", wall(2027, 3, 14, 2, 30), "America/Phoenix", utc(2027, 3, 14, 9, 30)},
      {"New York's gap", wall(2027, 3, 14, 2, 30), "America/New_York", utc(2027, 3, 14, 7, 30)},
      {"UTC", wall(2026, 12, 8, 10, 0), "UTC", utc(2026, 12, 8, 10, 0)},
      {"a leap day", wall(2028, 2, 29, 23, 59), "America/Chicago", utc(2028, 3, 1, 5, 59)},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(to_instant(c.local, c.zone) == c.instant); }
  }
}

TEST_CASE("instants read as wall times, truncated to the minute") {
  struct Case {
    const char* label;
    TimePoint instant;
    const char* zone;
    LocalDateTime local;
  };
  const Case cases[] = {
      {"winter", utc(2026, 12, 8, 18, 0), "America/Los_Angeles", wall(2026, 12, 8, 10, 0)},
      {"seconds are dropped", utc(2026, 12, 8, 15, 59, 59), "America/Los_Angeles", wall(2026, 12, 8, 7, 59)},
      {"the day before in UTC-8", utc(2026, 12, 9, 3, 0), "America/Los_Angeles", wall(2026, 12, 8, 19, 0)},
      {"just before the jump", utc(2027, 3, 14, 9, 59), "America/Los_Angeles", wall(2027, 3, 14, 1, 59)},
      {"the jump", utc(2027, 3, 14, 10, 0), "America/Los_Angeles", wall(2027, 3, 14, 3, 0)},
      {"first 01:30 of the overlap", utc(2026, 11, 1, 8, 30), "America/Los_Angeles", wall(2026, 11, 1, 1, 30)},
      {"second 01:30 of the overlap", utc(2026, 11, 1, 9, 30), "America/Los_Angeles", wall(2026, 11, 1, 1, 30)},
      {"before the epoch", utc(1969, 12, 31, 23, 0), "UTC", wall(1969, 12, 31, 23, 0)},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(to_local(c.instant, c.zone) == c.local); }
  }
}

TEST_CASE("weekday, ordering and text of wall times") {
  CHECK(wall(2026, 12, 8, 10, 0).weekday() == Tuesday);
  CHECK(wall(2026, 12, 8, 10, 0).to_string() == "2026-12-08 10:00");
  CHECK(wall(2026, 12, 8, 9, 59) < wall(2026, 12, 8, 10, 0));
  CHECK(wall(2026, 12, 7, 23, 0) < wall(2026, 12, 8, 0, 0));
}

TEST_CASE("an unknown zone or an invalid wall time is refused") {
  CHECK_THROWS_WITH(to_local(utc(2026, 1, 1, 0, 0), "America/Fresno"), Catch::Contains("unknown time zone"));
  CHECK_THROWS_AS(to_instant(wall(2026, 1, 1, 0, 0), ""), Error);
  CHECK_THROWS_AS(to_instant(wall(2026, 2, 30, 10, 0), "UTC"), Error);
  CHECK_THROWS_AS(to_instant(wall(2026, 2, 1, 24, 0), "UTC"), Error);
}

TEST_CASE("dates and times of day parse as campaign files write them") {
  CHECK(parse_date("2026-12-08") == year_month_day(year(2026), December, day(8)));
  CHECK(parse_time_of_day("10:00").minutes() == 600);
  CHECK(parse_time_of_day("8:30").minutes() == 510);
  CHECK(parse_time_of_day("23:59").to_string() == "23:59");
  for (const char* bad : {"2026-02-30", "2026-12-8", "2026/12/08", "20261208", "", "2026-12-08T10:00"}) {
    DYNAMIC_SECTION("date " << bad) { CHECK_THROWS_AS(parse_date(bad), Error); }
  }
  for (const char* bad : {"24:00", "10", "10:0", "10:000", "10:60", "ten", "-1:00", "10:00pm", ""}) {
    DYNAMIC_SECTION("time " << bad) { CHECK_THROWS_AS(parse_time_of_day(bad), Error); }
  }
}

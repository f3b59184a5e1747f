// Dates as partners write them, and today's date in a zone.
#include "calendar/local_date.h"

#include <catch2/catch.hpp>

#include "util/errors.h"

using namespace broadcaster;
using namespace std::chrono;

TEST_CASE("dates are exactly YYYY-MM-DD and must exist") {
  struct Case {
    const char* label;
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"a plain date", "2026-12-12", true},
      {"a leap day", "2028-02-29", true},
      {"no leap day", "2027-02-29", false},
      {"the 30th of February", "2026-02-30", false},
      {"month 13", "2026-13-01", false},
      {"day zero", "2026-12-00", false},
      {"single digits", "2026-2-1", false},
      {"US order", "12/12/2026", false},
      {"with a time", "2026-12-12T10:00", false},
      {"letters", "2026-1x-12", false},
      {"empty", "", false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(calendar::parse_date(c.text).has_value() == c.ok); }
  }
  CHECK(calendar::format_date(*calendar::parse_date("2026-01-05")) == "2026-01-05");
}

TEST_CASE("today is the date on the zone's wall calendar") {
  // 2026-12-02T06:30Z is still 1 December in Los Angeles (UTC-8), already 2 December in UTC.
  const auto at = sys_days{year{2026} / 12 / 2} + hours(6) + minutes(30);
  CHECK(calendar::today_in("America/Los_Angeles", at) == year{2026} / 12 / 1);
  CHECK(calendar::today_in("UTC", at) == year{2026} / 12 / 2);
  // Summer time: UTC-7, so 07:30Z is 00:30 local on 1 July.
  CHECK(calendar::today_in("America/Los_Angeles", sys_days{year{2026} / 7 / 1} + hours(7) + minutes(30)) ==
        year{2026} / 7 / 1);
  CHECK_THROWS_AS(calendar::today_in("America/Fresno", at), Error);
}

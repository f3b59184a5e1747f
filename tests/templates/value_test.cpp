// Typed values and the date-time syntax of campaign files.
#include <catch2/catch.hpp>

#include "templates/value.h"
#include "util/errors.h"

using namespace broadcaster;
using broadcaster::templates::Instant;
using broadcaster::templates::parse_datetime;
using broadcaster::templates::ValueKind;

namespace {

// Milliseconds since the epoch of a UTC date and time.
long long utc_ms(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  using namespace std::chrono;
  const sys_seconds t = sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

long long ms(const templates::Value& v) { return v.instant().time_since_epoch().count(); }

}  // namespace

TEST_CASE("a date and time is read as wall time in the campaign's zone or at its offset") {
  struct Case {
    const char* label;
    const char* text;
    const char* zone;
    long long expected_utc_ms;
    const char* shown_in;
  };
  const Case cases[] = {
      {"Pacific standard time", "2026-12-05T10:00", "America/Los_Angeles", utc_ms(2026, 12, 5, 18, 0),
       "America/Los_Angeles"},
      {"Pacific daylight time", "2026-07-04T10:00", "America/Los_Angeles", utc_ms(2026, 7, 4, 17, 0),
       "America/Los_Angeles"},
      {"with seconds", "2026-12-05T10:00:30", "America/Chicago", utc_ms(2026, 12, 5, 16, 0, 30), "America/Chicago"},
      {"date only is midnight", "2026-12-05", "America/New_York", utc_ms(2026, 12, 5, 5, 0), "America/New_York"},
      {"offset without zone is shown at the offset", "2026-12-05T10:00-08:00", "", utc_ms(2026, 12, 5, 18, 0),
       "GMT-08:00"},
      {"offset with half hours", "2026-12-05T10:00+05:30", "", utc_ms(2026, 12, 5, 4, 30), "GMT+05:30"},
      {"Z", "2026-12-05T18:00Z", "", utc_ms(2026, 12, 5, 18, 0), "UTC"},
      {"offset wins for the instant, zone for the display", "2026-12-05T13:00-05:00", "America/Los_Angeles",
       utc_ms(2026, 12, 5, 18, 0), "America/Los_Angeles"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto v = parse_datetime(c.text, c.zone);
      CHECK(v.kind() == ValueKind::DateTime);
      CHECK(ms(v) == c.expected_utc_ms);
      CHECK(v.time_zone() == c.shown_in);
    }
  }
}

TEST_CASE("date-time mistakes are refused with a way out") {
  struct Case {
    const char* label;
    const char* text;
    const char* zone;
    const char* fragment;
  };
  const Case cases[] = {
      {"US style", "12/5/2026 10am", "America/Los_Angeles", "write it like 2026-12-05T10:00"},
      {"no zone anywhere", "2026-12-05T10:00", "", "has no time zone: add 'time_zone: America/Los_Angeles'"},
      {"February 30", "2026-02-30T10:00", "America/Los_Angeles", "does not exist"},
      {"hour 25", "2026-12-05T25:00", "America/Los_Angeles", "does not exist"},
      {"skipped by daylight saving", "2026-03-08T02:30", "America/Los_Angeles",
       "does not exist in America/Los_Angeles"},
      {"bad offset", "2026-12-05T10:00-8", "", "is not a date and time"},
      {"trailing text", "2026-12-05T10:00 PST", "America/Los_Angeles", "is not a date and time"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK_THROWS_AS(parse_datetime(c.text, c.zone), Error);
      CHECK_THROWS_WITH(parse_datetime(c.text, c.zone), Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("time zones are checked against ICU's list") {
  CHECK(templates::is_time_zone("America/Los_Angeles"));
  CHECK(templates::is_time_zone("UTC"));
  CHECK(templates::is_time_zone("GMT-08:00"));
  CHECK_FALSE(templates::is_time_zone("America/Fresno"));
  CHECK_FALSE(templates::is_time_zone("Pacific"));
  CHECK_FALSE(templates::is_time_zone(""));
}

TEST_CASE("values describe themselves for messages") {
  CHECK(templates::Value::text("Sat 12/5").describe() == "the text 'Sat 12/5'");
  CHECK(templates::Value::number(40).describe() == "the number 40");
  CHECK(parse_datetime("2026-12-05T10:00", "America/Los_Angeles").describe() ==
        "the date and time 2026-12-05T18:00:00Z (shown in America/Los_Angeles)");
}

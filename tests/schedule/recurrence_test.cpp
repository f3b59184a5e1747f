// Campaign schedules: the three YAML forms, the RRULE subset, occurrences
// across the US daylight-saving changes, per-recipient zones, errors at the
// right line and column, and the English description.
#include "schedule/recurrence.h"

#include <catch2/catch.hpp>

#include "config/yaml_reader.h"
#include "util/errors.h"

using namespace std::chrono;
using broadcaster::ConfigError;
using broadcaster::schedule::Frequency;
using broadcaster::schedule::LocalDateTime;
using broadcaster::schedule::Recurrence;
using broadcaster::schedule::TimePoint;

namespace {

const std::string kFile = "config/campaigns/x.yaml";

// The schedule under `schedule:` in `yaml`.
Recurrence schedule_of(const std::string& yaml) {
  const YAML::Node top = broadcaster::config::parse_yaml(yaml, kFile);
  return Recurrence::parse(top["schedule"], kFile);
}

// The ConfigError's text for a schedule that must not parse.
std::string error_of(const std::string& yaml) {
  try {
    (void)schedule_of(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL_CHECK("expected a ConfigError for:\n" << yaml);
  return {};
}

TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days(year_month_day(year(y), month(mo), day(d))) + hours(h) + minutes(mi) + seconds(s);
}

LocalDateTime wall(int y, unsigned mo, unsigned d, int h, int mi) {
  return {year_month_day(year(y), month(mo), day(d)), h, mi};
}

// The next `n` occurrences after `t`, as "YYYY-MM-DD HH:MM" wall times.
std::vector<std::string> next_walls(const Recurrence& r, TimePoint t, std::size_t n,
                                    const std::string& zone = "America/Los_Angeles") {
  std::vector<std::string> out;
  for (const auto& o : r.next_occurrences(t, zone, n)) out.push_back(o.to_string());
  return out;
}

// The same, as instants.
std::vector<TimePoint> next_instants(const Recurrence& r, TimePoint t, std::size_t n,
                                     const std::string& zone = "America/Los_Angeles") {
  std::vector<TimePoint> out;
  for (const auto& o : r.next_occurrences(t, zone, n)) out.push_back(r.instant_of(o, zone));
  return out;
}

using Walls = std::vector<std::string>;
using Instants = std::vector<TimePoint>;

}  // namespace

TEST_CASE("a one-off schedule fires once, at its wall time") {
  const auto r = schedule_of("schedule:\n  on: 2026-12-08\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n");
  CHECK(r.frequency() == Frequency::Once);
  CHECK(r.next_after(utc(2026, 12, 1, 0, 0), "UTC") == wall(2026, 12, 8, 10, 0));
  CHECK(r.instant_of(wall(2026, 12, 8, 10, 0), "UTC") == utc(2026, 12, 8, 18, 0));
  // strictly after: at its own instant it is over
  CHECK_FALSE(r.next_after(utc(2026, 12, 8, 18, 0), "UTC"));
  CHECK(r.next_after(utc(2026, 12, 8, 17, 59, 59), "UTC"));
  CHECK(r.describe() == "once on Tuesday 2026-12-08 at 10:00 America/Los_Angeles");
}

TEST_CASE("10:00 stays 10:00 local across the US daylight-saving changes") {
  SECTION("fall back, 2026-11-01") {
    const auto r =
        schedule_of("schedule:\n  every: [tuesday, thursday]\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n");
    const auto t = utc(2026, 10, 26, 0, 0);
    CHECK(next_walls(r, t, 4) == Walls{"2026-10-27 10:00", "2026-10-29 10:00", "2026-11-03 10:00", "2026-11-05 10:00"});
    CHECK(next_instants(r, t, 4) == Instants{utc(2026, 10, 27, 17, 0), utc(2026, 10, 29, 17, 0),
                                             utc(2026, 11, 3, 18, 0), utc(2026, 11, 5, 18, 0)});
  }
  SECTION("spring forward, 2027-03-14") {
    const auto r =
        schedule_of("schedule:\n  every: day\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n  from: 2027-03-13\n");
    CHECK(next_instants(r, utc(2027, 1, 1, 0, 0), 3) ==
          Instants{utc(2027, 3, 13, 18, 0), utc(2027, 3, 14, 17, 0), utc(2027, 3, 15, 17, 0)});
  }
}

TEST_CASE("a 02:30 daily rule goes out at 03:30 on the spring-forward day, and once on the fall-back day") {
  SECTION("gap") {
    const auto r =
        schedule_of("schedule:\n  rrule: FREQ=DAILY;BYHOUR=2;BYMINUTE=30\n  time_zone: America/Los_Angeles\n");
    const auto t = utc(2027, 3, 13, 12, 0);
    CHECK(next_walls(r, t, 3) == Walls{"2027-03-14 02:30", "2027-03-15 02:30", "2027-03-16 02:30"});
    CHECK(next_instants(r, t, 3) ==
          Instants{utc(2027, 3, 14, 10, 30), utc(2027, 3, 15, 9, 30), utc(2027, 3, 16, 9, 30)});
  }
  SECTION("two wall times that the gap makes one instant go out once") {
    const auto r =
        schedule_of("schedule:\n  rrule: FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30\n  time_zone: America/Los_Angeles\n");
    CHECK(next_walls(r, utc(2027, 3, 14, 8, 0), 3) ==
          Walls{"2027-03-14 02:30", "2027-03-15 02:30", "2027-03-15 03:30"});
  }
  SECTION("overlap: the first 01:30, not both") {
    const auto r = schedule_of("schedule:\n  every: day\n  at: \"01:30\"\n  time_zone: America/Los_Angeles\n");
    CHECK(next_instants(r, utc(2026, 10, 31, 12, 0), 2) == Instants{utc(2026, 11, 1, 8, 30), utc(2026, 11, 2, 9, 30)});
    CHECK(next_instants(r, utc(2026, 11, 1, 8, 30), 1) == Instants{utc(2026, 11, 2, 9, 30)});
  }
}

TEST_CASE("occurrences of repeating rules") {
  struct Case {
    const char* label;
    const char* yaml;
    TimePoint after;
    std::size_t n;
    Walls expected;
  };
  const Case cases[] = {
      {"until is inclusive",
       "schedule:\n  every: tuesday\n  at: \"10:00\"\n  from: 2026-12-01\n  until: 2026-12-08\n",
       utc(2026, 11, 1, 0, 0),
       5,
       {"2026-12-01 10:00", "2026-12-08 10:00"}},
      {"from is the first date",
       "schedule:\n  every: [thursday, tuesday]\n  at: \"10:00\"\n  from: 2026-12-03\n",
       utc(2026, 11, 1, 0, 0),
       3,
       {"2026-12-03 10:00", "2026-12-08 10:00", "2026-12-10 10:00"}},
      {"weekdays",
       "schedule:\n  every: Weekdays\n  at: \"09:00\"\n",
       utc(2026, 12, 4, 0, 0),
       3,
       {"2026-12-04 09:00", "2026-12-07 09:00", "2026-12-08 09:00"}},
      {"COUNT counts from 'from', not from now",
       "schedule:\n  rrule: FREQ=DAILY;COUNT=3;BYHOUR=9\n  from: 2026-12-01\n",
       utc(2026, 12, 2, 17, 30),
       5,
       {"2026-12-03 09:00"}},
      {"COUNT, all of them",
       "schedule:\n  rrule: FREQ=DAILY;COUNT=3;BYHOUR=9\n  from: 2026-12-01\n",
       utc(2026, 11, 1, 0, 0),
       5,
       {"2026-12-01 09:00", "2026-12-02 09:00", "2026-12-03 09:00"}},
      {"INTERVAL=2 weeks, counted from the week of 'from'",
       "schedule:\n  rrule: \"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=0;UNTIL=20270301T235959Z\"\n"
       "  from: 2026-12-01\n",
       utc(2026, 12, 5, 0, 0),
       4,
       {"2026-12-15 10:00", "2026-12-17 10:00", "2026-12-29 10:00", "2026-12-31 10:00"}},
      {"INTERVAL=2 ends at UNTIL",
       "schedule:\n  rrule: \"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=0;UNTIL=20270301T235959Z\"\n"
       "  from: 2026-12-01\n",
       utc(2027, 2, 15, 0, 0),
       5,
       {"2027-02-23 10:00", "2027-02-25 10:00"}},
      {"INTERVAL=3 days",
       "schedule:\n  rrule: FREQ=DAILY;INTERVAL=3\n  at: \"12:00\"\n  from: 2026-12-30\n",
       utc(2027, 1, 1, 0, 0),
       3,
       {"2027-01-02 12:00", "2027-01-05 12:00", "2027-01-08 12:00"}},
      {"monthly on the last Friday",
       "schedule:\n  rrule: FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18\n",
       utc(2026, 12, 1, 0, 0),
       3,
       {"2026-12-25 18:00", "2027-01-29 18:00", "2027-02-26 18:00"}},
      {"monthly on the first Tuesday",
       "schedule:\n  rrule: FREQ=MONTHLY;BYDAY=1TU;BYHOUR=10\n",
       utc(2026, 11, 5, 0, 0),
       3,
       {"2026-12-01 10:00", "2027-01-05 10:00", "2027-02-02 10:00"}},
      {"monthly on day 31 skips shorter months",
       "schedule:\n  rrule: FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=10\n",
       utc(2027, 1, 1, 0, 0),
       3,
       {"2027-01-31 10:00", "2027-03-31 10:00", "2027-05-31 10:00"}},
      {"monthly on the last day",
       "schedule:\n  rrule: FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=10\n",
       utc(2027, 1, 1, 0, 0),
       3,
       {"2027-01-31 10:00", "2027-02-28 10:00", "2027-03-31 10:00"}},
      {"monthly on Friday the 13th",
       "schedule:\n  rrule: FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;BYHOUR=10\n",
       utc(2026, 1, 1, 0, 0),
       2,
       {"2026-02-13 10:00", "2026-03-13 10:00"}},
      {"monthly on the day of 'from', every 2 months",
       "schedule:\n  rrule: FREQ=MONTHLY;INTERVAL=2;BYHOUR=10\n  from: 2026-11-15\n",
       utc(2026, 12, 1, 0, 0),
       2,
       {"2027-01-15 10:00", "2027-03-15 10:00"}},
      {"weekly on the day of 'from'",
       "schedule:\n  rrule: FREQ=WEEKLY\n  at: \"10:00\"\n  from: 2026-12-02\n",
       utc(2026, 12, 3, 0, 0),
       2,
       {"2026-12-09 10:00", "2026-12-16 10:00"}},
      {"daily, limited to Mondays",
       "schedule:\n  rrule: FREQ=DAILY;BYDAY=MO;BYHOUR=8;BYMINUTE=15,45\n",
       utc(2026, 12, 1, 0, 0),
       3,
       {"2026-12-07 08:15", "2026-12-07 08:45", "2026-12-14 08:15"}},
      {"UNTIL as a date is inclusive",
       "schedule:\n  rrule: FREQ=DAILY;BYHOUR=23;UNTIL=20261202\n",
       utc(2026, 12, 1, 12, 0),
       5,
       {"2026-12-01 23:00", "2026-12-02 23:00"}},
      {"from decades ahead",
       "schedule:\n  every: day\n  at: \"10:00\"\n  from: 2061-07-28\n",
       utc(2026, 1, 1, 0, 0),
       1,
       {"2061-07-28 10:00"}},
      {"a rule that never fires ends",
       "schedule:\n  rrule: FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30;BYHOUR=1\n  from: 2027-02-01\n",
       utc(2027, 1, 1, 0, 0),
       1,
       {}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(next_walls(schedule_of(c.yaml), c.after, c.n) == c.expected); }
  }
}

TEST_CASE("time_zone: recipient makes one wall time several instants") {
  const auto r = schedule_of("schedule:\n  on: 2026-12-08\n  at: \"10:00\"\n  time_zone: recipient\n");
  CHECK(r.per_recipient_zone());
  CHECK(r.time_zone().empty());
  struct Case {
    const char* zone;
    TimePoint instant;
  };
  const Case cases[] = {{"America/Los_Angeles", utc(2026, 12, 8, 18, 0)},
                        {"America/Chicago", utc(2026, 12, 8, 16, 0)},
                        {"America/New_York", utc(2026, 12, 8, 15, 0)}};
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.zone) {
      const auto next = r.next_after(utc(2026, 12, 8, 0, 0), c.zone);
      REQUIRE(next);
      CHECK(*next == wall(2026, 12, 8, 10, 0));
      CHECK(r.instant_of(*next, c.zone) == c.instant);
    }
  }
  // At 15:30 UTC New York's 10:00 has passed, Chicago's and Los Angeles' not.
  CHECK_FALSE(r.next_after(utc(2026, 12, 8, 15, 30), "America/New_York"));
  CHECK(r.next_after(utc(2026, 12, 8, 15, 30), "America/Chicago"));
}

TEST_CASE("a schedule without time_zone reads wall time in the zone the caller gives; one with a zone ignores it") {
  const auto open = schedule_of("schedule:\n  every: day\n  at: \"10:00\"\n");
  CHECK_FALSE(open.per_recipient_zone());
  CHECK(open.zone_or("America/Chicago") == "America/Chicago");
  CHECK(next_instants(open, utc(2026, 12, 8, 0, 0), 1, "America/Chicago") == Instants{utc(2026, 12, 8, 16, 0)});
  const auto fixed = schedule_of("schedule:\n  every: day\n  at: \"10:00\"\n  time_zone: America/New_York\n");
  CHECK(fixed.zone_or("America/Chicago") == "America/New_York");
  CHECK(next_instants(fixed, utc(2026, 12, 8, 0, 0), 1, "America/Chicago") == Instants{utc(2026, 12, 8, 15, 0)});
}

TEST_CASE("schedule mistakes are reported at their line and column") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* position;  // "line:column"
    const char* fragment;
  };
  const Case cases[] = {
      {"misspelt day", "schedule:\n  every: [tuesday, thursdy]\n  at: \"10:00\"\n", "2:20", "'thursdy' is not a day"},
      {"misspelt key", "schedule:\n  every: tuesday\n  at: \"10:00\"\n  untill: 2027-01-01\n", "4:3",
       "unknown key 'untill' in 'schedule' (did you mean 'until'?)"},
      {"no form", "schedule:\n  at: \"10:00\"\n", "2:3", "a schedule needs 'on:'"},
      {"two forms", "schedule:\n  on: 2026-12-08\n  every: day\n  at: \"10:00\"\n", "3:10",
       "not both 'on:' and 'every:'"},
      {"bad time", "schedule:\n  every: day\n  at: \"25:00\"\n", "3:7", "'25:00' is not a time of day"},
      {"missing at", "schedule:\n  every: day\n", "2:3", "missing required key 'at'"},
      {"bad date", "schedule:\n  on: 2027-02-29\n  at: \"10:00\"\n", "2:7", "not a date that exists"},
      {"unknown zone", "schedule:\n  every: day\n  at: \"10:00\"\n  time_zone: America/Fresno\n", "4:14",
       "unknown time zone 'America/Fresno'"},
      {"until before from", "schedule:\n  every: day\n  at: \"10:00\"\n  from: 2027-01-01\n  until: 2026-12-01\n",
       "5:10", "is before 'from'"},
      {"from on a one-off", "schedule:\n  on: 2026-12-08\n  at: \"10:00\"\n  from: 2026-12-01\n", "4:9",
       "a one-off ('on:') has none"},
      {"day with names", "schedule:\n  every: [day, monday]\n  at: \"10:00\"\n", "2:11", "'day' stands alone"},
      {"until with rrule", "schedule:\n  rrule: FREQ=DAILY;BYHOUR=9\n  until: 2027-01-01\n", "3:10", "UNTIL=20270301"},
      {"rrule without hour", "schedule:\n  rrule: FREQ=DAILY\n", "2:10", "the rrule gives no hour"},
      {"rrule hour twice", "schedule:\n  rrule: FREQ=DAILY;BYHOUR=9\n  at: \"10:00\"\n", "3:7",
       "the time is given twice"},
      {"COUNT without from", "schedule:\n  rrule: FREQ=DAILY;COUNT=3;BYHOUR=9\n", "2:10", "add 'from:'"},
      {"INTERVAL without from", "schedule:\n  rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=9\n", "2:10",
       "INTERVAL counts from it"},
      {"not a mapping", "schedule: tomorrow\n", "1:11", "'schedule' must be a mapping"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string message = error_of(c.yaml);
      CHECK_THAT(message, Catch::StartsWith(kFile + ":" + c.position + ": "));
      CHECK_THAT(message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("RRULE parts outside the subset are refused by name, not ignored") {
  struct Case {
    const char* rrule;
    const char* fragment;
  };
  const Case cases[] = {
      {"FREQ=WEEKLY;BYDAY=TU;BYSETPOS=1;BYHOUR=9", "BYSETPOS is not supported"},
      {"FREQ=SECONDLY;BYHOUR=9", "FREQ=SECONDLY is not supported"},
      {"FREQ=YEARLY;BYHOUR=9", "FREQ=YEARLY is not supported"},
      {"FREQ=WEEKLY;WKST=SU;BYDAY=TU;BYHOUR=9", "WKST is not supported"},
      {"FREQ=MONTHLY;BYMONTH=3;BYMONTHDAY=1;BYHOUR=9", "BYMONTH is not supported"},
      {"FREQ=DAILY;BYSECOND=5;BYHOUR=9", "BYSECOND is not supported"},
      {"FREQ=DAILY;X-NAME=1;BYHOUR=9", "unknown RRULE part 'X-NAME'"},
      {"FREQ=DAILY;COUNT=3;UNTIL=20270101;BYHOUR=9", "COUNT and UNTIL cannot both be given"},
      {"FREQ=WEEKLY;BYDAY=1TU;BYHOUR=9", "needs FREQ=MONTHLY"},
      {"FREQ=WEEKLY;BYMONTHDAY=1;BYHOUR=9", "BYMONTHDAY does not go with FREQ=WEEKLY"},
      {"FREQ=DAILY;UNTIL=20270101T100000;BYHOUR=9", "a local time without Z"},
      {"FREQ=DAILY;UNTIL=20270231;BYHOUR=9", "no such date"},
      {"FREQ=DAILY;BYHOUR=24", "'24' is not a number from 0 to 23"},
      {"FREQ=MONTHLY;BYMONTHDAY=0;BYHOUR=9", "(and not 0)"},
      {"FREQ=MONTHLY;BYDAY=6TU;BYHOUR=9", "ordinal outside 1..5"},
      {"FREQ=DAILY;BYDAY=TUE;BYHOUR=9", "'TUE' is not a day"},
      {"FREQ=DAILY;FREQ=WEEKLY;BYHOUR=9", "FREQ is given twice"},
      {"BYHOUR=9", "the rrule has no FREQ"},
      {"FREQ=DAILY;INTERVAL=0;BYHOUR=9", "INTERVAL=0"},
      {"FREQ=DAILY;BYHOUR", "'BYHOUR' is not NAME=VALUE"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.rrule) {
      const std::string message =
          error_of(std::string("schedule:\n  from: 2026-12-01\n  rrule: \"") + c.rrule + "\"\n");
      CHECK_THAT(message, Catch::StartsWith(kFile + ":3:10: "));
      CHECK_THAT(message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("RRULE is read case-insensitively, with or without its RRULE: prefix") {
  const auto r = schedule_of("schedule:\n  rrule: \"RRULE:freq=weekly;byday=tu;byhour=10\"\n");
  CHECK(r.frequency() == Frequency::Weekly);
  CHECK(next_walls(r, utc(2026, 12, 1, 0, 0), 1) == Walls{"2026-12-01 10:00"});
}

TEST_CASE("describe() says in English when a campaign goes out") {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"schedule:\n  every: [thursday, tuesday]\n  at: \"10:00\"\n  time_zone: America/Los_Angeles\n  until: "
       "2027-03-01\n",
       "every Tuesday and Thursday at 10:00 America/Los_Angeles until 2027-03-01"},
      {"schedule:\n  every: day\n  at: \"8:30\"\n  time_zone: recipient\n  from: 2026-12-01\n",
       "every day at 08:30 in each recipient's time zone from 2026-12-01"},
      {"schedule:\n  every: weekday\n  at: \"09:00\"\n",
       "every weekday (Monday to Friday) at 09:00 in the default time zone"},
      {"schedule:\n  on: 2026-12-08\n  at: \"10:00\"\n  time_zone: recipient\n",
       "once on Tuesday 2026-12-08 at 10:00 in each recipient's time zone"},
      {"schedule:\n  rrule: \"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=0;UNTIL=20270301T235959Z\"\n"
       "  time_zone: America/Los_Angeles\n  from: 2026-12-01\n",
       "every 2 weeks on Tuesday and Thursday at 10:00 America/Los_Angeles from 2026-12-01 until 2027-03-01 23:59:59 "
       "UTC"},
      {"schedule:\n  rrule: FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18;COUNT=6\n  from: 2026-12-01\n  time_zone: UTC\n",
       "every month on the last Friday at 18:00 UTC from 2026-12-01, 6 times"},
      {"schedule:\n  rrule: FREQ=MONTHLY;BYMONTHDAY=1,-1;BYHOUR=9,17\n  time_zone: UTC\n",
       "every month on the last day and day 1 at 09:00 and 17:00 UTC"},
      {"schedule:\n  rrule: FREQ=DAILY;BYDAY=MO,FR;BYHOUR=7\n  time_zone: UTC\n",
       "every Monday and Friday at 07:00 UTC"},
      {"schedule:\n  rrule: FREQ=DAILY;INTERVAL=2;BYHOUR=7\n  time_zone: UTC\n  from: 2026-12-01\n",
       "every 2 days at 07:00 UTC from 2026-12-01"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.expected) { CHECK(schedule_of(c.yaml).describe() == c.expected); }
  }
}

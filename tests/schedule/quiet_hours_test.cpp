// Quiet hours: both edges of the window, state rules (Florida, Texas on
// Sundays, Rhode Island's closed Sunday), the nights the clocks change, and
// the broadcaster.yaml mapping. Every instant is fixed: nothing waits.
#include "schedule/quiet_hours.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "util/errors.h"

using namespace std::chrono;
using broadcaster::ConfigError;
using broadcaster::config::YamlMap;
using broadcaster::schedule::DayWindow;
using broadcaster::schedule::QuietHours;
using broadcaster::schedule::StateRules;
using broadcaster::schedule::TimeOfDay;
using broadcaster::schedule::TimePoint;
using broadcaster::testing::TempDir;

namespace {

TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return sys_days(year_month_day(year(y), month(mo), day(d))) + hours(h) + minutes(mi) + seconds(s);
}

const QuietHours& with_states() {
  static const QuietHours policy(DayWindow{},
                                 StateRules::load(std::string(BC_SOURCE_DIR) + "/config/data/quiet_hours.yaml"));
  return policy;
}

QuietHours parse(TempDir& dir, const std::string& yaml) {
  const auto file = dir.write("config/broadcaster.yaml", yaml);
  const YAML::Node top = broadcaster::config::load_yaml_file(file.string());
  YamlMap map(top["quiet_hours"], file.string(), "'quiet_hours'");
  return QuietHours::parse(map, file.parent_path());
}

}  // namespace

TEST_CASE("the organization's window, both edges, in the subscriber's zone") {
  // 2026-12-08 is a Tuesday; Los Angeles is UTC-8.
  struct Case {
    const char* label;
    TimePoint t;
    TimePoint expected;
  };
  const Case cases[] = {
      {"07:59:59 waits until 08:00", utc(2026, 12, 8, 15, 59, 59), utc(2026, 12, 8, 16, 0)},
      {"08:00 is allowed", utc(2026, 12, 8, 16, 0), utc(2026, 12, 8, 16, 0)},
      {"20:59 is allowed", utc(2026, 12, 9, 4, 59), utc(2026, 12, 9, 4, 59)},
      {"20:59:59 is allowed", utc(2026, 12, 9, 4, 59, 59), utc(2026, 12, 9, 4, 59, 59)},
      {"21:00 waits for the next day's 08:00", utc(2026, 12, 9, 5, 0), utc(2026, 12, 9, 16, 0)},
      {"03:00 waits for the same day's 08:00", utc(2026, 12, 8, 11, 0), utc(2026, 12, 8, 16, 0)},
      {"23:59 waits for the next day", utc(2026, 12, 9, 7, 59), utc(2026, 12, 9, 16, 0)},
  };
  const QuietHours policy;
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(policy.next_allowed(c.t, "America/Los_Angeles", "CA") == c.expected);
      CHECK(policy.allowed(c.t, "America/Los_Angeles", "CA") == (c.t == c.expected));
    }
  }
}

TEST_CASE("state rules narrow the window") {
  struct Case {
    const char* label;
    TimePoint t;
    const char* zone;
    const char* state;
    TimePoint expected;
  };
  const Case cases[] = {
      // Florida 08:00-20:00; Miami is UTC-5 in December.
      {"Florida 19:59 is allowed", utc(2026, 12, 9, 0, 59), "America/New_York", "FL", utc(2026, 12, 9, 0, 59)},
      {"Florida 20:00 waits for 08:00", utc(2026, 12, 9, 1, 0), "America/New_York", "FL", utc(2026, 12, 9, 13, 0)},
      {"New York 20:00 is allowed", utc(2026, 12, 9, 1, 0), "America/New_York", "NY", utc(2026, 12, 9, 1, 0)},
      // Texas: 2026-12-13 is a Sunday; Houston is UTC-6.
      {"Texas Sunday 10:00 waits until noon", utc(2026, 12, 13, 16, 0), "America/Chicago", "TX",
       utc(2026, 12, 13, 18, 0)},
      {"Texas Sunday noon is allowed", utc(2026, 12, 13, 18, 0), "America/Chicago", "TX", utc(2026, 12, 13, 18, 0)},
      {"Texas Saturday 08:30 waits until 09:00", utc(2026, 12, 12, 14, 30), "America/Chicago", "TX",
       utc(2026, 12, 12, 15, 0)},
      {"Texas Saturday 21:00 waits for Sunday noon", utc(2026, 12, 13, 3, 0), "America/Chicago", "TX",
       utc(2026, 12, 13, 18, 0)},
      {"Texas Sunday 21:00 waits for Monday 09:00", utc(2026, 12, 14, 3, 0), "America/Chicago", "TX",
       utc(2026, 12, 14, 15, 0)},
      // Rhode Island: Saturday until 17:00, never on Sunday.
      {"Rhode Island Saturday 17:00 waits for Monday 09:00", utc(2026, 12, 12, 22, 0), "America/New_York", "RI",
       utc(2026, 12, 14, 14, 0)},
      {"a zone without a state: the organization's window only", utc(2026, 12, 9, 1, 30), "America/New_York", "",
       utc(2026, 12, 9, 1, 30)},
      {"a state without a rule: the organization's window only", utc(2026, 12, 9, 1, 30), "America/New_York", "ZZ",
       utc(2026, 12, 9, 1, 30)},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(with_states().next_allowed(c.t, c.zone, c.state) == c.expected); }
  }
}

TEST_CASE("the window opens at 08:00 local on the nights the clocks change") {
  const QuietHours policy;
  // Spring forward: 21:30 PST on Saturday 2027-03-13; Sunday 08:00 is PDT (UTC-7).
  CHECK(policy.next_allowed(utc(2027, 3, 14, 5, 30), "America/Los_Angeles", "") == utc(2027, 3, 14, 15, 0));
  // Fall back: 21:30 PDT on Saturday 2026-10-31; Sunday 08:00 is PST (UTC-8).
  CHECK(policy.next_allowed(utc(2026, 11, 1, 4, 30), "America/Los_Angeles", "") == utc(2026, 11, 1, 16, 0));
  // 07:30 PDT the morning after spring forward waits half an hour, not ninety minutes.
  CHECK(policy.next_allowed(utc(2027, 3, 14, 14, 30), "America/Los_Angeles", "") == utc(2027, 3, 14, 15, 0));
  // Phoenix keeps UTC-7.
  CHECK(policy.next_allowed(utc(2027, 3, 14, 5, 30), "America/Phoenix", "AZ") == utc(2027, 3, 14, 15, 0));
  // The same instant is 10:00 in New York (allowed) and 07:00 in Los Angeles (waits).
  CHECK(policy.allowed(utc(2026, 12, 8, 15, 0), "America/New_York", "NY"));
  CHECK_FALSE(policy.allowed(utc(2026, 12, 8, 15, 0), "America/Los_Angeles", "CA"));
}

TEST_CASE("an overnight organization window is refused; an unknown zone throws") {
  CHECK_THROWS_AS(QuietHours(DayWindow{TimeOfDay{21, 0}, TimeOfDay{8, 0}}, StateRules{}), broadcaster::Error);
  CHECK_THROWS_WITH(QuietHours().allowed(utc(2026, 12, 8, 15, 0), "Mars/Base", ""),
                    Catch::Contains("unknown time zone"));
}

TEST_CASE("quiet_hours in broadcaster.yaml") {
  TempDir dir;
  dir.write("config/data/rules.yaml",
            "states:\n  FL:\n    name: Florida\n    window: {start: \"08:00\", end: \"20:00\"}\n    law: x\n"
            "    url: https://example.org/fl\n");
  SECTION("start, end and a state rules file beside the configuration") {
    const auto policy = parse(dir, "quiet_hours: {start: \"09:00\", end: \"20:30\", state_rules: data/rules.yaml}\n");
    CHECK(policy.window() == DayWindow{TimeOfDay{9, 0}, TimeOfDay{20, 30}});
    CHECK(policy.window_on(Monday, "FL") == DayWindow{TimeOfDay{9, 0}, TimeOfDay{20, 0}});
    CHECK(policy.window_on(Monday, "NY") == DayWindow{TimeOfDay{9, 0}, TimeOfDay{20, 30}});
  }
  SECTION("defaults") {
    const auto policy = parse(dir, "quiet_hours: {}\n");
    CHECK(policy.window() == DayWindow{TimeOfDay{8, 0}, TimeOfDay{21, 0}});
    CHECK(policy.states().size() == 0);
  }
  struct Case {
    const char* label;
    const char* yaml;
    const char* fragment;
  };
  const Case cases[] = {
      {"backwards", "quiet_hours:\n  start: \"21:00\"\n  end: \"08:00\"\n", "broadcaster.yaml:3:8: quiet hours end"},
      {"bad time", "quiet_hours:\n  start: \"8\"\n", "broadcaster.yaml:2:10: '8' is not a time of day"},
      {"misspelt key", "quiet_hours:\n  stat: \"08:00\"\n", "broadcaster.yaml:2:3: unknown key 'stat'"},
      {"missing rules file", "quiet_hours:\n  state_rules: data/none.yaml\n", "none.yaml: cannot open file"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      try {
        (void)parse(dir, c.yaml);
        FAIL_CHECK("expected a ConfigError");
      } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::Contains(c.fragment));
      }
    }
  }
}

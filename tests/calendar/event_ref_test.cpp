// A campaign's `event:` mapping, read for the calendar's conflict check.
#include "calendar/event_ref.h"

#include <catch2/catch.hpp>

#include "config/yaml_reader.h"
#include "util/errors.h"

using namespace broadcaster;

TEST_CASE("a campaign's event gives the date, county and partner with its position") {
  const auto root =
      config::parse_yaml("id: x\nevent: {date: 2026-12-12, county: Fresno, partner: Centro Legal}\n", "c.yaml");
  const auto e = calendar::parse_event_ref(root["event"], "c.yaml");
  CHECK(e.date == std::chrono::year{2026} / 12 / 12);
  CHECK(e.county == "Fresno");
  CHECK(e.partner == "Centro Legal");
  CHECK(e.file == "c.yaml");
  CHECK(e.line == 2);
  CHECK(e.column == 8);
}

TEST_CASE("mistakes in a campaign's event are refused at their position") {
  struct Case {
    const char* label;
    const char* yaml;
    const char* expected;
  };
  const Case cases[] = {
      {"a date that does not exist", "event: {date: 2026-11-31, county: Fresno, partner: P}\n",
       "c.yaml:1:15: 'date' must be a date that exists"},
      {"no county", "event: {date: 2026-12-12, partner: P}\n", "c.yaml:1:8: missing required key 'county' in 'event'"},
      {"no partner", "event:\n  date: 2026-12-12\n  county: Fresno\n", "c.yaml:2:3: missing required key 'partner'"},
      {"a misspelt key", "event: {date: 2026-12-12, county: Fresno, partner: P, contry: US}\n",
       "c.yaml:1:55: unknown key 'contry' in 'event'"},
      {"not a mapping", "event: 2026-12-12\n", "c.yaml:1:8: 'event' must be a mapping"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto root = config::parse_yaml(c.yaml, "c.yaml");
      try {
        (void)calendar::parse_event_ref(root["event"], "c.yaml");
        FAIL("expected a ConfigError");
      } catch (const ConfigError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith(c.expected));
      }
    }
  }
}

// The per-state sending windows: the shipped file loads with a citation for
// every rule, and mistakes are reported at their line and column.
#include "schedule/state_rules.h"

#include <catch2/catch.hpp>

#include "config/yaml_reader.h"
#include "util/errors.h"

using namespace std::chrono;
using broadcaster::ConfigError;
using broadcaster::schedule::DayWindow;
using broadcaster::schedule::StateRules;
using broadcaster::schedule::TimeOfDay;

namespace {

const StateRules& shipped() {
  static const StateRules rules = StateRules::load(std::string(BC_SOURCE_DIR) + "/config/data/quiet_hours.yaml");
  return rules;
}

std::string error_of(const std::string& yaml) {
  try {
    (void)StateRules::parse(broadcaster::config::parse_yaml(yaml, "rules.yaml"), "rules.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL_CHECK("expected a ConfigError for:\n" << yaml);
  return {};
}

DayWindow window(int h1, int m1, int h2, int m2) { return {TimeOfDay{h1, m1}, TimeOfDay{h2, m2}}; }

}  // namespace

TEST_CASE("the shipped state rules hold the stricter states, each with its law") {
  struct Case {
    const char* state;
    weekday day;
    DayWindow expected;
  };
  const Case cases[] = {
      {"FL", Wednesday, window(8, 0, 20, 0)}, {"OK", Monday, window(8, 0, 20, 0)},
      {"TX", Saturday, window(9, 0, 21, 0)},  {"TX", Sunday, window(12, 0, 21, 0)},
      {"RI", Saturday, window(10, 0, 17, 0)}, {"MS", Monday, window(8, 0, 20, 0)},
      {"WA", Friday, window(8, 0, 20, 0)},    {"MD", Tuesday, window(8, 0, 20, 0)},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.state << " on day " << c.day.c_encoding()) {
      const auto* rule = shipped().find(c.state);
      REQUIRE(rule);
      CHECK(rule->windows.on(c.day) == c.expected);
      CHECK_FALSE(rule->law.empty());
      CHECK_THAT(rule->url, Catch::StartsWith("http"));
    }
  }
  CHECK(shipped().find("RI")->windows.on(Sunday).closed());
  CHECK(shipped().find("MS")->windows.on(Sunday).closed());
  CHECK(shipped().find("CA") == nullptr);
  CHECK(shipped().find("") == nullptr);
}

TEST_CASE("state rule mistakes are reported at their line and column") {
  const std::string head = "states:\n  TX:\n    name: Texas\n";
  struct Case {
    const char* label;
    std::string yaml;
    const char* position;
    const char* fragment;
  };
  const Case cases[] = {
      {"no law", head + "    window: {start: \"09:00\", end: \"21:00\"}\n    url: https://x\n", "3:5",
       "missing required key 'law'"},
      {"no url", head + "    window: {start: \"09:00\", end: \"21:00\"}\n    law: x\n", "3:5",
       "missing required key 'url'"},
      {"url not a web address",
       head + "    window: {start: \"09:00\", end: \"21:00\"}\n    law: x\n    url: see statute\n", "6:10",
       "must be a web address"},
      {"window backwards", head + "    window: {start: \"21:00\", end: \"09:00\"}\n    law: x\n    url: https://x\n",
       "4:35", "ends (09:00) before it starts (21:00)"},
      {"bad time", head + "    window: {start: \"9am\", end: \"21:00\"}\n    law: x\n    url: https://x\n", "4:21",
       "'9am' is not a time of day"},
      {"misspelt day",
       head + "    window: {start: \"09:00\", end: \"21:00\"}\n    sundy: closed\n    law: x\n    url: https://x\n",
       "5:5", "unknown key 'sundy' in state TX (did you mean 'sunday'?)"},
      {"day neither window nor closed",
       head + "    window: {start: \"09:00\", end: \"21:00\"}\n    sunday: shut\n    law: x\n    url: https://x\n",
       "5:13", "or closed"},
      {"lower-case code", "states:\n  tx:\n    name: Texas\n", "2:3", "not a state's two-letter postal code"},
      {"closed all week",
       "states:\n  ZZ:\n    name: Nowhere\n    window: {start: \"09:00\", end: \"21:00\"}\n    monday: closed\n    "
       "tuesday: closed\n    wednesday: closed\n    thursday: closed\n    friday: closed\n    saturday: closed\n    "
       "sunday: closed\n    law: x\n    url: https://x\n",
       "2:3", "closed every day"},
      {"no states", "rules: {}\n", "1:1", "missing required section 'states'"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string message = error_of(c.yaml);
      CHECK_THAT(message, Catch::StartsWith(std::string("rules.yaml:") + c.position + ": "));
      CHECK_THAT(message, Catch::Contains(c.fragment));
    }
  }
}

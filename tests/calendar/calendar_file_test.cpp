// Calendar files: what is read, the defaults, the folder, and every mistake
// refused at file:line:column.
#include "calendar/calendar_file.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "util/errors.h"

using namespace broadcaster;
using namespace std::chrono;
using testing::TempDir;

namespace {

constexpr const char* kPartnerFile = R"(# Valley Immigrant Legal Network
partner: Valley Immigrant Legal Network
events:
  - date: 2026-12-05
    start: "10:00"
    end: "13:00"
    county: Fresno
    title: Naturalization and DACA renewal workshop
    languages: [es, en]
  - date: 2026-12-12
    start: "9:30"
    end: "11:00"
    county: Tulare
    partner: Sierra Foothill Workers Center
    time_zone: America/Denver
    title: Know your rights
    languages: hmn
)";

/// The ConfigError text of parsing `yaml` as cal.yaml; fails the test if it parses.
std::string failure(const std::string& yaml) {
  try {
    (void)calendar::parse_calendar_text(yaml, "cal.yaml");
    FAIL_CHECK("expected a ConfigError");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("a calendar file's events are read with the file's defaults and their own overrides") {
  const auto events = calendar::parse_calendar_text(kPartnerFile, "valley.yaml");
  REQUIRE(events.size() == 2);
  const auto& a = events[0];
  CHECK(a.date == year{2026} / 12 / 5);
  CHECK(a.start == hours(10));
  CHECK(a.end == hours(13));
  CHECK(a.time_zone == "America/Los_Angeles");  // the default
  CHECK(a.county == "Fresno");
  CHECK(a.partner == "Valley Immigrant Legal Network");
  CHECK(a.title == "Naturalization and DACA renewal workshop");
  CHECK(a.languages == std::vector<std::string>{"es", "en"});
  CHECK(a.starts_at == sys_days{year{2026} / 12 / 5} + hours(18));  // 10:00 PST
  CHECK(a.ends_at == sys_days{year{2026} / 12 / 5} + hours(21));
  CHECK(a.source == "valley.yaml:4:5");
  const auto& b = events[1];
  CHECK(b.start == hours(9) + minutes(30));
  CHECK(b.partner == "Sierra Foothill Workers Center");
  CHECK(b.time_zone == "America/Denver");
  CHECK(b.starts_at == sys_days{year{2026} / 12 / 12} + hours(16) + minutes(30));  // 09:30 MST
  CHECK(b.languages == std::vector<std::string>{"hmn"});
}

TEST_CASE("a file's time zone applies to its events, and the caller's default to files without one") {
  const std::string yaml =
      "time_zone: America/Chicago\nevents:\n  - {date: 2026-12-05, start: \"10:00\", end: \"11:00\", county: Cook, "
      "partner: P, title: T, languages: [en]}\n";
  CHECK(calendar::parse_calendar_text(yaml, "f.yaml").at(0).time_zone == "America/Chicago");
  const std::string bare =
      "events:\n  - {date: 2026-12-05, start: \"10:00\", end: \"11:00\", county: Cook, partner: P, title: T, "
      "languages: [en]}\n";
  CHECK(calendar::parse_calendar_text(bare, "f.yaml", "America/New_York").at(0).time_zone == "America/New_York");
  CHECK(calendar::parse_calendar_text("", "f.yaml").empty());
  CHECK(calendar::parse_calendar_text("events: []\n", "f.yaml").empty());
  CHECK(calendar::parse_calendar_text("partner: P\nevents:\n", "f.yaml").empty());
}

TEST_CASE("calendar file mistakes are refused with file, line and column") {
  const std::string head = "partner: P\nevents:\n  - date: 2026-12-05\n";
  const std::string rest = "    county: Fresno\n    title: Workshop\n    languages: [es]\n";
  const std::string times = "    start: \"10:00\"\n    end: \"12:00\"\n";
  struct Case {
    const char* label;
    std::string yaml;
    const char* position;  // "line:column"
    const char* fragment;
  };
  const Case cases[] = {
      {"a date that does not exist", "partner: P\nevents:\n  - date: 2026-02-30\n" + times + rest, "3:11",
       "'date' must be a date that exists, written YYYY-MM-DD"},
      {"a date in another format", "partner: P\nevents:\n  - date: 12/5/2026\n" + times + rest, "3:11", "YYYY-MM-DD"},
      {"a start that is not a time", head + "    start: ten\n    end: \"12:00\"\n" + rest, "4:12",
       "'start' must be a local time written HH:MM"},
      {"an hour past 23", head + "    start: \"24:00\"\n    end: \"12:00\"\n" + rest, "4:12", "HH:MM"},
      {"an end before the start", head + "    start: \"10:00\"\n    end: \"09:00\"\n" + rest, "5:10",
       "'end' (09:00) must be after 'start' (10:00)"},
      {"an end equal to the start", head + "    start: \"10:00\"\n    end: \"10:00\"\n" + rest, "5:10",
       "must be after"},
      {"a time skipped by the clock change",
       "partner: P\nevents:\n  - date: 2027-03-14\n    start: \"02:30\"\n    end: \"04:00\"\n" + rest, "4:12",
       "does not exist"},
      {"an unknown time zone", head + times + "    time_zone: America/Fresno\n" + rest, "6:16",
       "unknown time zone 'America/Fresno'"},
      {"an unknown file time zone", "time_zone: Pacific\nevents: []\n", "1:12", "unknown time zone 'Pacific'"},
      {"no county", head + times + "    title: Workshop\n    languages: [es]\n", "3:5",
       "missing required key 'county' in an event"},
      {"an empty county", head + times + "    county: \"  \"\n    title: W\n    languages: [es]\n", "6:13",
       "'county' must not be empty"},
      {"a title too long",
       head + times + "    county: Fresno\n    title: " + std::string(201, 'x') + "\n    languages: [es]\n", "7:12",
       "'title' has at most 200 bytes"},
      {"no partner in event or file", "events:\n  - date: 2026-12-05\n" + times + rest, "2:5",
       "missing required key 'partner'"},
      {"no languages", head + times + "    county: Fresno\n    title: W\n", "3:5", "missing required key 'languages'"},
      {"an empty language list", head + times + "    county: Fresno\n    title: W\n    languages: []\n", "8:16",
       "'languages' lists 1-16 language codes"},
      {"a bad language code", head + times + "    county: Fresno\n    title: W\n    languages: [es, Spanish]\n", "8:16",
       "'Spanish' in 'languages'"},
      {"a misspelt key", head + times + rest + "    tittle: x\n", "9:5", "unknown key 'tittle' in an event"},
      {"a misspelt top-level key", "partner: P\nevent: []\n", "2:1", "unknown key 'event'"},
      {"no events key", "partner: P\n", "1:1", "missing required key 'events' in a calendar file"},
      {"events not a list", "events:\n  date: 2026-12-05\n", "2:3", "'events' must be a list"},
      {"an event not a mapping", "events:\n  - 2026-12-05\n", "2:5", "an event must be a mapping"},
      {"a duplicate key", head + times + "    start: \"11:00\"\n" + rest, "6:5", "duplicate key 'start'"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const std::string message = failure(c.yaml);
      CHECK_THAT(message, Catch::StartsWith(std::string("cal.yaml:") + c.position + ": "));
      CHECK_THAT(message, Catch::Contains(c.fragment));
    }
  }
}

TEST_CASE("the calendar folder: every *.yaml and *.yml file, in name order; other files ignored") {
  TempDir dir;
  dir.write("calendar/b-partner.yaml", kPartnerFile);
  dir.write("calendar/a-partner.yml",
            "partner: Merced Family Resource Center\nevents:\n  - {date: 2026-12-05, start: \"10:00\", end: "
            "\"12:00\", county: Merced, title: Clinic, languages: [es]}\n");
  dir.write("calendar/README.md", "not a calendar: [\n");
  dir.write("calendar/.draft.yaml", "not: [valid\n");
  const auto cal = calendar::load_calendar(dir.path() / "calendar");
  REQUIRE(cal.events().size() == 3);
  CHECK(cal.events()[0].county == "Fresno");  // sorted: date, start, county
  CHECK(cal.events()[1].county == "Merced");
  CHECK(cal.events()[2].county == "Tulare");
  CHECK_THAT(cal.events()[1].source, Catch::EndsWith("a-partner.yml:3:5"));
}

TEST_CASE("a missing calendar folder is an empty calendar; a broken file stops loading with its position") {
  TempDir dir;
  CHECK(calendar::load_calendar(dir.path() / "nowhere").empty());
  const auto file = dir.write("calendar/x.yaml", "events:\n  - date: tomorrow\n");
  try {
    (void)calendar::load_calendar(dir.path() / "calendar");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith(file.string() + ":2:11: "));
  }
  const auto not_a_folder = dir.write("plain-file", "x");
  CHECK_THROWS_AS(calendar::load_calendar(not_a_folder), ConfigError);
}

TEST_CASE("the shipped Central Valley calendar loads, and shows its demo conflict") {
  const auto cal = calendar::load_calendar(BC_SOURCE_DIR "/config/calendar");
  CHECK(cal.events().size() >= 6);
  CHECK(cal.partners() == std::vector<std::string>{"Sierra Foothill Workers Center", "Valley Immigrant Legal Network"});
  calendar::EventRef workshop;
  workshop.date = year{2026} / 12 / 5;
  workshop.county = "Fresno";
  workshop.partner = "Valley Immigrant Legal Network";
  const auto conflicts = cal.conflicts(workshop);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].partner == "Sierra Foothill Workers Center");
}

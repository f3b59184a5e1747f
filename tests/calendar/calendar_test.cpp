// The calendar's search: upcoming events by county, and the conflict rule
// (another partner, same county, same day).
#include "calendar/calendar.h"

#include <catch2/catch.hpp>

#include "calendar/calendar_file.h"

using namespace broadcaster;
using namespace std::chrono;

namespace {

// Two partners in three counties; on 5 December both are in Fresno.
constexpr const char* kEvents = R"(events:
  - {date: 2026-12-05, start: "10:00", end: "13:00", county: Fresno, partner: Valley Immigrant Legal Network, title: Workshop, languages: [es]}
  - {date: 2026-12-05, start: "15:00", end: "17:00", county: fresno, partner: Sierra Foothill Workers Center, title: Rights, languages: [en]}
  - {date: 2026-12-05, start: "09:00", end: "10:00", county: Tulare, partner: Sierra Foothill Workers Center, title: Clinic, languages: [es]}
  - {date: 2026-12-12, start: "10:00", end: "12:00", county: Merced, partner: Valley Immigrant Legal Network, title: Forum, languages: [hmn]}
  - {date: 2026-11-28, start: "10:00", end: "12:00", county: Fresno, partner: Sierra Foothill Workers Center, title: Past, languages: [es]}
)";

calendar::Calendar demo() { return calendar::Calendar(calendar::parse_calendar_text(kEvents, "demo.yaml")); }

std::vector<std::string> titles(const std::vector<calendar::Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.title);
  return out;
}

calendar::EventRef ref(const char* date, const char* county, const char* partner) {
  calendar::EventRef r;
  r.date = *calendar::parse_date(date);
  r.county = county;
  r.partner = partner;
  return r;
}

}  // namespace

TEST_CASE("upcoming events start from a date, in calendar order, optionally in one county") {
  const auto cal = demo();
  const auto from = year{2026} / 12 / 1;
  CHECK(titles(cal.upcoming(from)) == std::vector<std::string>{"Clinic", "Workshop", "Rights", "Forum"});
  CHECK(titles(cal.upcoming(from, "Fresno")) == std::vector<std::string>{"Workshop", "Rights"});
  CHECK(titles(cal.upcoming(from, "FRESNO ")) == std::vector<std::string>{"Workshop", "Rights"});
  CHECK(titles(cal.upcoming(from, "Merced")) == std::vector<std::string>{"Forum"});
  CHECK(cal.upcoming(from, "Kern").empty());
  // The from date itself counts.
  CHECK(titles(cal.upcoming(year{2026} / 12 / 12)) == std::vector<std::string>{"Forum"});
  CHECK(cal.upcoming(year{2026} / 12 / 13).empty());
  CHECK(titles(cal.upcoming(year{2026} / 11 / 1, "Fresno")) == std::vector<std::string>{"Past", "Workshop", "Rights"});
}

TEST_CASE("a conflict is another partner's event in the same county on the same day") {
  const auto cal = demo();
  struct Case {
    const char* label;
    calendar::EventRef e;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"same county, same day, other partner",
       ref("2026-12-05", "Fresno", "Valley Immigrant Legal Network"),
       {"Rights"}},
      {"the other way round", ref("2026-12-05", "Fresno", "Sierra Foothill Workers Center"), {"Workshop"}},
      {"names compared without case", ref("2026-12-05", "fresno", "valley immigrant legal network"), {"Rights"}},
      {"a partner with no event that day sees both",
       ref("2026-12-05", "Fresno", "Merced Family Resource Center"),
       {"Workshop", "Rights"}},
      {"same partner, other county", ref("2026-12-12", "Merced", "Valley Immigrant Legal Network"), {}},
      {"other county", ref("2026-12-05", "Merced", "Valley Immigrant Legal Network"), {}},
      {"same county, other day", ref("2026-12-06", "Fresno", "Valley Immigrant Legal Network"), {}},
      {"the same partner's own event is no conflict",
       ref("2026-12-05", "Tulare", "Sierra Foothill Workers Center"),
       {}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(titles(cal.conflicts(c.e)) == c.expected); }
  }
}

TEST_CASE("the calendar knows its partners, so a misspelt one can be warned about") {
  const auto cal = demo();
  CHECK(cal.partners() == std::vector<std::string>{"Sierra Foothill Workers Center", "Valley Immigrant Legal Network"});
  CHECK(cal.knows_partner("valley immigrant legal network"));
  CHECK_FALSE(cal.knows_partner("Valley Immigrant Legal Netwrk"));
  CHECK(calendar::Calendar().empty());
  CHECK(calendar::Calendar().conflicts(ref("2026-12-05", "Fresno", "X")).empty());
}

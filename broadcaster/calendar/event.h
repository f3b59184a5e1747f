// One partner event on the regional calendar, and how names on it compare.
// Partners of a regional network list their workshops and clinics so they
// do not organize competing events (config/calendar/*.yaml, read by
// calendar/calendar_file.h).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/local_date.h"
#include "templates/value.h"

namespace broadcaster::calendar {

/// The zone of events whose file and entry name none.
inline constexpr std::string_view kDefaultTimeZone = "America/Los_Angeles";

/// One event.
struct Event {
  Date date;                   ///< the local day it takes place
  std::chrono::minutes start;  ///< local time since midnight
  std::chrono::minutes end;    ///< local time since midnight; after `start`
  std::string time_zone;       ///< IANA id the times are in
  std::string county;          ///< as written ("Fresno")
  std::string partner;         ///< the organization holding it, as written
  std::string title;
  std::vector<std::string> languages;  ///< language codes ("es", "hmn")
  templates::Instant starts_at;        ///< `date` + `start` in `time_zone`
  templates::Instant ends_at;
  std::string source;  ///< "file:line:column" of the entry
};

/// "HH:MM" of a time of day (0 to 24 hours, exclusive).
[[nodiscard]] std::string format_time(std::chrono::minutes since_midnight);

/// Whether two county or partner names are the same: equal ignoring ASCII
/// case and spaces at either end ("Fresno" and "fresno ").
[[nodiscard]] bool same_name(std::string_view a, std::string_view b) noexcept;

}  // namespace broadcaster::calendar

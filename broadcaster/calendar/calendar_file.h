// Reading the partner calendar from its folder (`calendar_dir` in
// broadcaster.yaml, default config/calendar/): one YAML file per partner or
// per month, each
//
//   partner: Valley Immigrant Legal Network   # optional: the partner of every event below
//   time_zone: America/Los_Angeles            # optional: the zone of every event below
//   events:
//     - date: 2026-12-05                      # YYYY-MM-DD, the local day
//       start: "10:00"                        # HH:MM local time
//       end: "13:00"                          # after start, the same day
//       county: Fresno
//       title: Naturalization and DACA renewal workshop
//       languages: [es, en]
//       # partner:, time_zone: per event, when the file gives none or another
//
// Design: files are read in name order (*.yaml and *.yml; others such as a
// README are ignored) through config::parse_yaml, so they are bounded and
// strict like every other YAML input, and each mistake is a ConfigError at
// file:line:column. At most kMaxCalendarFiles files are read.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.h"
#include "calendar/event.h"

namespace broadcaster::calendar {

/// Most files a calendar folder may hold.
inline constexpr std::size_t kMaxCalendarFiles = 1000;
/// Most languages one event may list.
inline constexpr std::size_t kMaxEventLanguages = 16;

/// The events of one calendar file, already read into `yaml`; `file` names
/// it in errors and in Event::source. Events that name no zone, in a file
/// that names none, are in `default_zone`. Throws ConfigError: unknown or
/// missing key, a date or time that does not exist (or is skipped by a
/// clock change), an end not after its start, an unknown time zone or
/// language code, empty or over-long names, and all parse_yaml refuses.
[[nodiscard]] std::vector<Event> parse_calendar_text(std::string_view yaml, const std::string& file,
                                                     const std::string& default_zone = std::string(kDefaultTimeZone));

/// parse_calendar_text of the file at `path`. Throws ConfigError, also when
/// it cannot be read.
[[nodiscard]] std::vector<Event> load_calendar_file(const std::filesystem::path& path,
                                                    const std::string& default_zone = std::string(kDefaultTimeZone));

/// Every event of every calendar file in `dir`. A folder that does not
/// exist is an empty calendar (the calendar is optional). Throws
/// ConfigError as load_calendar_file, when `dir` is not a folder or cannot
/// be listed, or holds more than kMaxCalendarFiles calendar files.
[[nodiscard]] Calendar load_calendar(const std::filesystem::path& dir,
                                     const std::string& default_zone = std::string(kDefaultTimeZone));

}  // namespace broadcaster::calendar

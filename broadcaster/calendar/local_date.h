// Calendar dates as partners write them (2026-12-12), and today's date in a
// time zone.
// Design: a date is std::chrono::year_month_day, a day on the wall calendar
// of wherever the event is; only "today" needs a zone, and ICU supplies its
// offset (libstdc++ 12 has no time zone database).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace broadcaster::calendar {

/// A day on a local wall calendar.
using Date = std::chrono::year_month_day;

/// Parses exactly "YYYY-MM-DD" naming a day that exists; nullopt otherwise
/// ("2026-2-1", "2026-02-30", "12/12/2026").
[[nodiscard]] std::optional<Date> parse_date(std::string_view text);

/// "YYYY-MM-DD".
[[nodiscard]] std::string format_date(Date date);

/// The date on the wall calendar of `time_zone` (an IANA id checked with
/// templates::is_time_zone) at `now`. Throws Error if ICU does not know the zone.
[[nodiscard]] Date today_in(const std::string& time_zone,
                            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace broadcaster::calendar

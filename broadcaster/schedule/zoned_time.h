// Wall-clock time in an IANA time zone, and the conversions between an
// instant and the time a clock on the wall shows, with ICU's zone rules.
// Campaigns are scheduled and quiet hours kept in wall time ("10:00 in
// Fresno"), while timers and Redis work with instants; these conversions are
// the one place where the two meet.
//
// Daylight saving, for a wall time that does not map to exactly one instant:
//   - in a spring-forward gap (02:30 on 2027-03-14 in America/Los_Angeles,
//     where clocks jump from 02:00 PST to 03:00 PDT) the wall time is read
//     with the offset in force before the gap, which lands the same length of
//     time after the gap: 02:30 becomes 03:30 PDT. A 10:00 campaign is never
//     moved; a 02:30 one goes out at 03:30 on that one day.
//   - in a fall-back overlap (01:30 on 2026-11-01 in America/Los_Angeles,
//     which happens at PDT and again an hour later at PST) it is the FIRST
//     occurrence, so a message goes out once, at the earlier instant.
#pragma once

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

namespace broadcaster::schedule {

/// An instant, as the system clock counts it (UTC, no leap seconds).
using TimePoint = std::chrono::system_clock::time_point;

/// A time of day on a wall clock, to the minute.
struct TimeOfDay {
  int hour = 0;    ///< 0-23
  int minute = 0;  ///< 0-59

  /// Minutes since midnight, 0-1439.
  int minutes() const noexcept { return hour * 60 + minute; }
  /// "10:00", "08:05".
  std::string to_string() const;

  friend auto operator<=>(const TimeOfDay&, const TimeOfDay&) = default;
};

/// A date and time of day as a wall clock in some zone shows it, to the
/// minute. Which zone is not part of the value: it travels beside it.
struct LocalDateTime {
  std::chrono::year_month_day date;  ///< a valid Gregorian date
  int hour = 0;                      ///< 0-23
  int minute = 0;                    ///< 0-59

  /// The day of the week of `date`.
  std::chrono::weekday weekday() const noexcept { return std::chrono::weekday(std::chrono::sys_days(date)); }
  /// The time of day.
  TimeOfDay time() const noexcept { return {hour, minute}; }
  /// "2026-12-08 10:00".
  std::string to_string() const;

  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
  friend std::strong_ordering operator<=>(const LocalDateTime& a, const LocalDateTime& b) noexcept {
    if (auto c = std::chrono::sys_days(a.date) <=> std::chrono::sys_days(b.date); c != 0) return c;
    return a.time() <=> b.time();
  }
};

/// The wall time in `zone` at instant `t`, truncated to the minute (an
/// instant at 07:59:59 reads 07:59). `zone` is an IANA/ICU id
/// ("America/Los_Angeles", "UTC"). Throws Error if ICU does not know `zone`.
[[nodiscard]] LocalDateTime to_local(TimePoint t, const std::string& zone);

/// The instant at which the wall clock in `zone` shows `local`, following the
/// daylight-saving rules of this file's comment (gap: the instant after the
/// gap; overlap: the first occurrence). Throws Error if ICU does not know
/// `zone` or `local` is not a valid date and time of day.
[[nodiscard]] TimePoint to_instant(const LocalDateTime& local, const std::string& zone);

/// Parses "YYYY-MM-DD" (ISO 8601, as YAML writes dates). Throws Error,
/// without a position, if the text has another shape or names no real date
/// ("2027-02-30").
[[nodiscard]] std::chrono::year_month_day parse_date(std::string_view text);

/// Parses "HH:MM" on a 24-hour clock ("10:00", "8:30" is also accepted).
/// Throws Error, without a position, otherwise.
[[nodiscard]] TimeOfDay parse_time_of_day(std::string_view text);

/// "2026-12-08".
[[nodiscard]] std::string to_string(std::chrono::year_month_day date);

/// "Monday" ... "Sunday".
[[nodiscard]] std::string_view day_name(std::chrono::weekday day) noexcept;

}  // namespace broadcaster::schedule

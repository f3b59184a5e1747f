// When a campaign goes out: once at a wall time, on a readable repeating
// rule ("every: [tuesday, thursday]"), or on an RFC 5545 RRULE, in one time
// zone or in each recipient's own.
// Design: the three YAML forms of the `schedule:` key become one rule (a
// frequency, an interval and BY* parts, as in RFC 5545 section 3.3.10), so
// there is one generator. It works on wall time in a zone given per call, so
// the same schedule yields a different instant for a subscriber in Chicago
// and one in Fresno; instants come from zoned_time.h, with its
// daylight-saving rules (a 02:30 occurrence on a spring-forward day goes out
// at 03:30). A Recurrence is an immutable value: copy it freely.
//
// RRULE, what is kept of RFC 5545 3.3.10:
//   FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, COUNT, UNTIL (a date, inclusive in
//   the zone's wall time, or a UTC date-time ending in Z), BYDAY (weekly: MO,
//   TU...; monthly also 1TU, -1FR), BYMONTHDAY (monthly, 1..31 or -31..-1;
//   days a month lacks are skipped), BYHOUR, BYMINUTE. Any other part
//   (BYSETPOS, BYMONTH, WKST, SECONDLY...) is refused by name, never ignored.
//   DTSTART is replaced by `from:` (a date; weeks start on Monday, as WKST=MO)
//   and the time of day by BYHOUR/BYMINUTE or `at:`. `from:` bounds the
//   occurrences and anchors INTERVAL and COUNT; it is not itself an
//   occurrence unless the rule produces it (RFC 5545 leaves a DTSTART that
//   does not match the rule undefined).
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_reader.h"
#include "schedule/zoned_time.h"

namespace broadcaster::schedule {

/// How often a rule repeats (RFC 5545 FREQ).
enum class Frequency { Once, Daily, Weekly, Monthly };  // Once: `on:`, not an RRULE FREQ

/// One BYDAY entry: a day of the week, and in monthly rules which one of the
/// month (1 = first, -1 = last; 0 = every such day).
struct WeekdayRule {
  std::chrono::weekday day;
  int ordinal = 0;
  friend bool operator==(const WeekdayRule&, const WeekdayRule&) = default;
};

/// The value `time_zone: recipient` takes: each subscriber's own zone.
inline constexpr std::string_view kRecipientZone = "recipient";

/// A campaign's schedule: the wall times at which it goes out.
class Recurrence {
 public:
  /// Reads a `schedule:` mapping, one of:
  ///   on: 2026-12-08, at: "10:00"                     once
  ///   every: [tuesday, thursday] | day | weekday, at: "10:00",
  ///     optional from: 2026-12-01, until: 2027-03-01 (inclusive)
  ///   rrule: "FREQ=...", optional from:, optional at: (if no BYHOUR)
  /// each with an optional `time_zone:` (an IANA zone, or `recipient`).
  /// Calls map.finish(), so unknown keys are refused with a suggestion.
  /// Throws ConfigError "file:line:column: ..." at the offending value: a
  /// misspelt day, a malformed date or time, an unknown zone, an RRULE part
  /// outside the subset above (named), COUNT with UNTIL, INTERVAL or COUNT
  /// without `from:`, a one-off date that does not exist.
  [[nodiscard]] static Recurrence parse(config::YamlMap& map);
  /// The same, for a YAML node read from `file`.
  [[nodiscard]] static Recurrence parse(const YAML::Node& node, const std::string& file);

  /// The first occurrence whose instant in its zone is strictly after `t`,
  /// as the wall time the rule names (02:30 on a spring-forward day is
  /// returned as 02:30; instant_of gives 03:30 PDT). The zone is the
  /// schedule's own `time_zone`, or `zone` when it names none (omitted, or
  /// `recipient`: pass the recipient's zone, or the organization's default
  /// when the recipient's is unknown). Nullopt once the schedule is over
  /// (COUNT, UNTIL, a past one-off), or when the rule produces nothing in
  /// the ten years after `t`. Throws Error if the zone is unknown.
  [[nodiscard]] std::optional<LocalDateTime> next_after(TimePoint t, const std::string& zone) const;

  /// The next `n` occurrences strictly after `t`, in order, as next_after
  /// would return them one after another (fewer when the schedule ends).
  [[nodiscard]] std::vector<LocalDateTime> next_occurrences(TimePoint t, const std::string& zone, std::size_t n) const;

  /// The instant of an occurrence returned by next_after for the same
  /// `zone` (the zone rules of zoned_time.h). Throws Error if the zone is unknown.
  [[nodiscard]] TimePoint instant_of(const LocalDateTime& occurrence, const std::string& zone) const;

  /// True for `time_zone: recipient`: each subscriber gets it at the wall
  /// time in their own zone, so one occurrence is several instants.
  [[nodiscard]] bool per_recipient_zone() const noexcept { return recipient_zone_; }
  /// The zone the schedule names; "" when omitted or `recipient`.
  [[nodiscard]] const std::string& time_zone() const noexcept { return zone_; }
  /// The zone wall times are read in: time_zone(), else `fallback`.
  [[nodiscard]] const std::string& zone_or(const std::string& fallback) const noexcept {
    return zone_.empty() ? fallback : zone_;
  }

  /// English, for `campaign list`: "every Tuesday and Thursday at 10:00
  /// America/Los_Angeles until 2027-03-01", "once on Tuesday 2026-12-08 at
  /// 10:00 in each recipient's time zone", "every 2 weeks on Tuesday and
  /// Thursday at 10:00 America/Los_Angeles from 2026-12-01, 10 times".
  [[nodiscard]] std::string describe() const;

  /// The rule, as parsed (for tests and for callers that show details).
  [[nodiscard]] Frequency frequency() const noexcept { return frequency_; }

 private:
  Recurrence() = default;

  // The wall times of one period (a day, a week from Monday, a month) that
  // starts on `first`, in order.
  std::vector<LocalDateTime> occurrences_in(std::chrono::sys_days first) const;
  bool before_end(const LocalDateTime& local, TimePoint instant) const;
  std::string describe_days() const;

  Frequency frequency_ = Frequency::Once;
  int interval_ = 1;
  std::vector<WeekdayRule> by_day_;
  std::vector<int> by_month_day_;
  std::vector<int> hours_;    ///< sorted, 0-23
  std::vector<int> minutes_;  ///< sorted, 0-59
  std::optional<std::chrono::year_month_day> from_;
  std::optional<std::chrono::year_month_day> until_date_;  ///< inclusive, wall date
  std::optional<TimePoint> until_instant_;                 ///< inclusive (UNTIL=...Z)
  std::optional<int> count_;
  std::string zone_;
  bool recipient_zone_ = false;
  std::string every_word_;  ///< "day", "weekday" or "" (named days)
};

}  // namespace broadcaster::schedule

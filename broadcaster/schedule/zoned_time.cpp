// Instant <-> wall time in an IANA zone, through ICU's zone rules.
#include "schedule/zoned_time.h"

#include <fmt/format.h>
#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cctype>
#include <cmath>
#include <memory>

#include "templates/value.h"
#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::schedule {

namespace {

using std::chrono::milliseconds;

std::unique_ptr<icu::TimeZone> icu_zone(const std::string& id) {
  if (!templates::is_time_zone(id)) {
    throw Error("unknown time zone '" + util::excerpt(id) + "'; use an IANA name like America/Los_Angeles");
  }
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
}

// Milliseconds since the epoch of `t`, as ICU's UDate.
UDate to_udate(TimePoint t) {
  return static_cast<UDate>(std::chrono::floor<milliseconds>(t).time_since_epoch().count());
}

// Reads up to `max` digits (at least one) at `pos`; advances `pos`.
std::optional<int> number(std::string_view text, std::size_t& pos, std::size_t max) {
  int out = 0;
  std::size_t n = 0;
  while (pos < text.size() && n < max && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    out = out * 10 + (text[pos++] - '0');
    ++n;
  }
  if (n == 0) return std::nullopt;
  return out;
}

}  // namespace

std::string TimeOfDay::to_string() const { return fmt::format("{:02}:{:02}", hour, minute); }

std::string LocalDateTime::to_string() const { return schedule::to_string(date) + " " + time().to_string(); }

std::string to_string(std::chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string_view day_name(std::chrono::weekday day) noexcept {
  static constexpr std::string_view kNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};
  return day.ok() ? kNames[day.c_encoding()] : std::string_view("?");
}

LocalDateTime to_local(TimePoint t, const std::string& zone) {
  const auto tz = icu_zone(zone);
  const UDate utc = to_udate(t);
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz->getOffset(utc, false, raw, dst, status);
  if (U_FAILURE(status)) throw Error(std::string("ICU cannot read the offset of ") + zone + ": " + u_errorName(status));
  const auto wall = std::chrono::sys_time<milliseconds>(milliseconds(static_cast<long long>(utc) + raw + dst));
  const auto minutes = std::chrono::floor<std::chrono::minutes>(wall);
  const auto day = std::chrono::floor<std::chrono::days>(minutes);
  const auto in_day = (minutes - day).count();
  return {std::chrono::year_month_day(day), static_cast<int>(in_day / 60), static_cast<int>(in_day % 60)};
}

TimePoint to_instant(const LocalDateTime& local, const std::string& zone) {
  if (!local.date.ok() || local.hour < 0 || local.hour > 23 || local.minute < 0 || local.minute > 59) {
    throw Error("not a valid date and time: " + local.to_string());
  }
  const auto tz = icu_zone(zone);
  const auto wall =
      std::chrono::sys_days(local.date) + std::chrono::hours(local.hour) + std::chrono::minutes(local.minute);
  const auto wall_ms = std::chrono::duration_cast<milliseconds>(wall.time_since_epoch()).count();
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  if (const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(tz.get())) {
    // FORMER for both: in a gap, the offset before the jump (02:30 PST is
    // 03:30 PDT); in an overlap, the offset before the fall back (the first
    // 01:30).
    basic->getOffsetFromLocal(static_cast<UDate>(wall_ms), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst,
                              status);
  } else {
    tz->getOffset(static_cast<UDate>(wall_ms), true, raw, dst, status);
  }
  if (U_FAILURE(status)) throw Error(std::string("ICU cannot read the offset of ") + zone + ": " + u_errorName(status));
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(milliseconds(wall_ms - raw - dst)));
}

std::chrono::year_month_day parse_date(std::string_view text) {
  const auto fail = [&] {
    return Error("'" + util::excerpt(text) + "' is not a date; write it like 2026-12-08 (year-month-day)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw fail();
  std::size_t pos = 0;
  const auto y = number(text, pos, 4);
  pos = 5;
  const auto m = number(text, pos, 2);
  pos = 8;
  const auto d = number(text, pos, 2);
  if (!y || !m || !d || pos != 10) throw fail();
  const std::chrono::year_month_day date{std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*m)),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) throw Error("'" + util::excerpt(text) + "' is not a date that exists (check the month and day)");
  return date;
}

TimeOfDay parse_time_of_day(std::string_view text) {
  std::size_t pos = 0;
  const auto h = number(text, pos, 2);
  const bool colon = pos < text.size() && text[pos] == ':';
  const std::size_t minute_start = ++pos;
  const auto m = colon ? number(text, pos, 2) : std::nullopt;
  if (!h || !m || pos != text.size() || pos - minute_start != 2 || *h > 23 || *m > 59) {
    throw Error("'" + util::excerpt(text) + "' is not a time of day; write it like \"10:00\" or \"18:30\" (24-hour)");
  }
  return {*h, *m};
}

}  // namespace broadcaster::schedule

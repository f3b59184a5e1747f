// Dates: strict parsing, formatting, and today's date through ICU's offsets.
#include "calendar/local_date.h"

#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

#include "templates/value.h"
#include "util/errors.h"

namespace broadcaster::calendar {

namespace {

bool digits(std::string_view text) {
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

int number(std::string_view text) {
  int n = 0;
  for (const char ch : text) n = n * 10 + (ch - '0');
  return n;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  const Date date{std::chrono::year{number(y)}, std::chrono::month{static_cast<unsigned>(number(m))},
                  std::chrono::day{static_cast<unsigned>(number(d))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(Date date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buf;
}

Date today_in(const std::string& time_zone, std::chrono::system_clock::time_point now) {
  if (!templates::is_time_zone(time_zone)) throw Error("unknown time zone '" + time_zone + "'");
  const std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(time_zone))));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone->getOffset(static_cast<UDate>(ms), false, raw, dst, status);
  if (U_FAILURE(status)) throw Error("ICU cannot tell the offset of " + time_zone + ": " + u_errorName(status));
  const std::chrono::sys_time<std::chrono::milliseconds> local{std::chrono::milliseconds(ms + raw + dst)};
  return Date{std::chrono::floor<std::chrono::days>(local)};
}

}  // namespace broadcaster::calendar

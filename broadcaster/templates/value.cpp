// Typed argument values and the date-time syntax of campaign files.
#include "templates/value.h"

#include <fmt/format.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <cctype>
#include <cmath>
#include <memory>
#include <optional>

#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::templates {

namespace {

// Reads exactly `width` digits at `pos` of `text`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    out = out * 10 + (text[i] - '0');
  }
  return out;
}

struct WallTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::optional<int> offset_minutes;  ///< east of UTC; nullopt: wall time in the campaign's zone
};

// "YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]"; nullopt if the text does not have that shape.
std::optional<WallTime> split(std::string_view text) {
  WallTime t;
  const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
  t.year = *y;
  t.month = *mo;
  t.day = *d;
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't')) {
    const auto h = digits(text, pos + 1, 2), mi = digits(text, pos + 4, 2);
    if (!h || !mi || text[pos + 3] != ':') return std::nullopt;
    t.hour = *h;
    t.minute = *mi;
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      const auto s = digits(text, pos + 1, 2);
      if (!s) return std::nullopt;
      t.second = *s;
      pos += 3;
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      t.offset_minutes = 0;
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const auto oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
      if (!oh || !om || text[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
      t.offset_minutes = (text[pos] == '-' ? -1 : 1) * (*oh * 60 + *om);
      pos += 6;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return t;
}

std::unique_ptr<icu::TimeZone> zone(const std::string& id) {
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
}

std::string offset_zone(int offset_minutes) {
  if (offset_minutes == 0) return "UTC";
  const int a = std::abs(offset_minutes);
  return fmt::format("GMT{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
}

}  // namespace

std::string_view to_string(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::Text:
      return "text";
    case ValueKind::Number:
      return "number";
    case ValueKind::DateTime:
      return "date and time";
  }
  return "?";
}

Value Value::text(std::string utf8) {
  Value v;
  v.kind_ = ValueKind::Text;
  v.text_ = std::move(utf8);
  return v;
}

Value Value::number(double n) {
  Value v;
  v.kind_ = ValueKind::Number;
  v.number_ = n;
  return v;
}

Value Value::datetime(Instant instant, std::string time_zone) {
  Value v;
  v.kind_ = ValueKind::DateTime;
  v.instant_ = instant;
  v.text_ = std::move(time_zone);
  return v;
}

std::string Value::describe() const {
  switch (kind_) {
    case ValueKind::Text:
      return "the text '" + text_ + "'";
    case ValueKind::Number:
      return fmt::format("the number {}", number_);
    case ValueKind::DateTime: {
      const auto seconds = std::chrono::floor<std::chrono::seconds>(instant_);
      const auto days = std::chrono::floor<std::chrono::days>(seconds);
      const std::chrono::year_month_day ymd{days};
      const std::chrono::hh_mm_ss hms{seconds - days};
      return fmt::format("the date and time {:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z (shown in {})",
                         static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                         hms.seconds().count(), text_);
    }
  }
  return {};
}

bool is_time_zone(const std::string& id) {
  if (id.empty()) return false;
  icu::UnicodeString found;
  zone(id)->getID(found);
  return found != icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID);
}

Value parse_datetime(std::string_view text, const std::string& time_zone) {
  const std::optional<WallTime> t = split(text);
  if (!t) {
    throw Error("'" + util::excerpt(text) +
                "' is not a date and time; write it like 2026-12-05T10:00 (in the campaign's time_zone) "
                "or 2026-12-05T10:00-08:00 (with its UTC offset)");
  }
  if (!t->offset_minutes && time_zone.empty()) {
    throw Error("'" + std::string(text) +
                "' has no time zone: add 'time_zone: America/Los_Angeles' (the zone of the event) to the "
                "campaign, or write the UTC offset, like " +
                std::string(text.substr(0, 10)) + "T10:00-08:00");
  }
  // Wall time in the campaign's zone, or at the written offset: ICU's
  // calendar, strict, so 2026-02-30 or a time skipped by daylight saving
  // is refused rather than quietly moved.
  const std::string calendar_zone = t->offset_minutes ? offset_zone(*t->offset_minutes) : time_zone;
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(zone(calendar_zone).release(), status);
  if (U_FAILURE(status)) throw Error(std::string("ICU cannot create a calendar: ") + u_errorName(status));
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(t->year, t->month - 1, t->day, t->hour, t->minute, t->second);
  const UDate ms = calendar.getTime(status);
  if (U_FAILURE(status)) {
    throw Error("'" + util::excerpt(text) + "' does not exist" +
                (t->offset_minutes ? std::string()
                                   : " in " + time_zone +
                                         " (check the date, and that the time is not skipped "
                                         "when the clocks change)"));
  }
  return Value::datetime(Instant(std::chrono::milliseconds(static_cast<long long>(ms))),
                         time_zone.empty() ? calendar_zone : time_zone);
}

}  // namespace broadcaster::templates

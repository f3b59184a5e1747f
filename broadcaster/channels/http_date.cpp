// Fixed-width GMT dates as HTTP and Twilio write them.
#include "channels/http_date.h"

#include <array>
#include <charconv>

namespace broadcaster::channels {

namespace {

// Parses exactly `s` as a non-negative decimal number.
std::optional<int> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<unsigned> parse_month(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == s) return i + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  const bool gmt = s.size() == 29 && s.substr(26) == "GMT";
  const bool utc_offset = s.size() == 31 && s.substr(26) == "+0000";
  if ((!gmt && !utc_offset) || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s[25] != ' ') {
    return std::nullopt;
  }
  const auto day = parse_digits(s.substr(5, 2));
  const auto month = parse_month(s.substr(8, 3));
  const auto year = parse_digits(s.substr(12, 4));
  const auto hour = parse_digits(s.substr(17, 2));
  const auto minute = parse_digits(s.substr(20, 2));
  const auto second = parse_digits(s.substr(23, 2));
  if (!day || !month || !year || !hour || !minute || !second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(*month),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

}  // namespace broadcaster::channels

// Retry-After parsing: delay-seconds or an IMF-fixdate HTTP date.
#include "channels/retry_after.h"

#include <array>
#include <charconv>

namespace broadcaster::channels {

namespace {

// A week: far beyond any real Retry-After, small enough never to overflow.
constexpr long long kMaxSeconds = 7LL * 24 * 3600;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == s) return i + 1;
  }
  return std::nullopt;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (fixed width, 29 characters).
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view s) {
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT") {
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

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{} || end != value.data() + value.size() || seconds > kMaxSeconds) {
      return std::nullopt;
    }
    return std::chrono::seconds(seconds);
  }
  const auto when = parse_imf_fixdate(value);
  if (!when) return std::nullopt;
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*when - now);
  if (wait.count() <= 0) return std::chrono::milliseconds(0);
  if (wait > std::chrono::seconds(kMaxSeconds)) return std::nullopt;
  return wait;
}

}  // namespace broadcaster::channels

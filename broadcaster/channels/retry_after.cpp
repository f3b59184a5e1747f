// Retry-After parsing: delay-seconds or an IMF-fixdate HTTP date.
#include "channels/retry_after.h"

#include <charconv>

#include "channels/http_date.h"

namespace broadcaster::channels {

namespace {

// A week: far beyond any real Retry-After, small enough never to overflow.
constexpr long long kMaxSeconds = 7LL * 24 * 3600;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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
  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*when - now);
  if (wait.count() <= 0) return std::chrono::milliseconds(0);
  if (wait > std::chrono::seconds(kMaxSeconds)) return std::nullopt;
  return wait;
}

}  // namespace broadcaster::channels

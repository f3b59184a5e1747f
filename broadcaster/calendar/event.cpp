// Event names and times.
#include "calendar/event.h"

namespace broadcaster::calendar {

namespace {

std::string_view trimmed(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

char lower(char ch) noexcept { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; }

}  // namespace

std::string format_time(std::chrono::minutes since_midnight) {
  const auto m = static_cast<unsigned>(since_midnight.count()) % (24 * 60);
  const char text[] = {static_cast<char>('0' + m / 600), static_cast<char>('0' + m / 60 % 10), ':',
                       static_cast<char>('0' + m % 60 / 10), static_cast<char>('0' + m % 10)};
  return std::string(text, sizeof text);
}

bool same_name(std::string_view a, std::string_view b) noexcept {
  a = trimmed(a);
  b = trimmed(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace broadcaster::calendar

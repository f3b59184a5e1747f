// Reading send markers and the times derived from them.
#include "store/send_marker.h"

#include <charconv>

namespace broadcaster::store {

namespace {

std::optional<std::int64_t> parse_ms(std::string_view s) {
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<SendMarker> parse_send_marker(std::string_view text) {
  const auto a = text.find('|');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = text.find('|', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const auto first = parse_ms(text.substr(0, a));
  const auto last = parse_ms(text.substr(a + 1, b - a - 1));
  if (!first || !last) return std::nullopt;
  return SendMarker{*first, *last, std::string(text.substr(b + 1))};
}

std::int64_t lookup_due_ms(const SendMarker& marker, std::chrono::milliseconds settle) {
  return marker.last_ms + settle.count();
}

std::chrono::system_clock::time_point lookup_since(const SendMarker& marker, std::chrono::milliseconds skew) {
  const auto first = std::chrono::system_clock::time_point(std::chrono::milliseconds(marker.first_ms));
  return first - std::chrono::duration_cast<std::chrono::system_clock::duration>(skew);
}

}  // namespace broadcaster::store

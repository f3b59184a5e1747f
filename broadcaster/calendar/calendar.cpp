// Searching the partner calendar.
#include "calendar/calendar.h"

#include <algorithm>
#include <tuple>

namespace broadcaster::calendar {

Calendar::Calendar(std::vector<Event> events) : events_(std::move(events)) {
  std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
    return std::tie(a.date, a.start, a.county, a.partner) < std::tie(b.date, b.start, b.county, b.partner);
  });
}

std::vector<Event> Calendar::upcoming(Date from, std::string_view county) const {
  std::vector<Event> out;
  for (const auto& e : events_) {
    if (e.date >= from && (county.empty() || same_name(e.county, county))) out.push_back(e);
  }
  return out;
}

std::vector<Event> Calendar::conflicts(const EventRef& ref) const {
  std::vector<Event> out;
  for (const auto& e : events_) {
    if (e.date == ref.date && same_name(e.county, ref.county) && !same_name(e.partner, ref.partner)) {
      out.push_back(e);
    }
  }
  return out;
}

bool Calendar::knows_partner(std::string_view partner) const {
  return std::any_of(events_.begin(), events_.end(), [&](const Event& e) { return same_name(e.partner, partner); });
}

std::vector<std::string> Calendar::partners() const {
  std::vector<std::string> out;
  for (const auto& e : events_) {
    if (std::none_of(out.begin(), out.end(), [&](const std::string& p) { return same_name(p, e.partner); })) {
      out.push_back(e.partner);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace broadcaster::calendar

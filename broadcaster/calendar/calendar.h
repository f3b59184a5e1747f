// The partner calendar: every partner's upcoming events, and the question
// `campaign validate` asks of it: does another partner hold an event in the
// same county on the same day as ours?
// Design: an immutable, sorted list (by date, start, county, partner), small
// enough (a few hundred events a year) to search linearly; loaded from the
// calendar folder by calendar/calendar_file.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calendar/event.h"
#include "calendar/event_ref.h"

namespace broadcaster::calendar {

class Calendar {
 public:
  /// An empty calendar.
  Calendar() = default;
  /// The calendar of `events`, in any order.
  explicit Calendar(std::vector<Event> events);

  /// Every event, by date, start, county, partner.
  [[nodiscard]] const std::vector<Event>& events() const noexcept { return events_; }
  [[nodiscard]] bool empty() const noexcept { return events_.empty(); }

  /// Events on or after `from` (their local date), in `county` when it is
  /// not empty (same_name), in calendar order.
  [[nodiscard]] std::vector<Event> upcoming(Date from, std::string_view county = {}) const;

  /// The events that compete with `e`: another partner's (not same_name as
  /// e.partner) in the same county on the same date. Empty when there are none.
  [[nodiscard]] std::vector<Event> conflicts(const EventRef& e) const;

  /// Whether some event is held by `partner` (same_name); a campaign's
  /// partner the calendar does not know is likely misspelt, which would
  /// turn its own event into a "conflict".
  [[nodiscard]] bool knows_partner(std::string_view partner) const;

  /// The partners holding events, each once (as first written), sorted.
  [[nodiscard]] std::vector<std::string> partners() const;

 private:
  std::vector<Event> events_;
};

}  // namespace broadcaster::calendar

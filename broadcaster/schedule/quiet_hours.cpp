// The quiet-hours policy: the organization's window within each state's.
#include "schedule/quiet_hours.h"

#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::schedule {

namespace {

TimeOfDay time_or(config::YamlMap& map, const std::string& key, TimeOfDay fallback) {
  if (!map.has(key)) return fallback;
  const auto text = map.required<std::string>(key);
  // "end: 24:00" is the end of the day: with "start: 00:00", no quiet hours
  // (a deployment that texts staff only, or a test run at any hour).
  if (key == "end" && text == "24:00") return TimeOfDay{24, 0};
  try {
    return parse_time_of_day(text);
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw map.error(key, e.what());
  }
}

}  // namespace

QuietHours::QuietHours(DayWindow window, StateRules states) : window_(window), states_(std::move(states)) {
  if (window_.closed()) throw Error("the quiet-hours window " + window_.to_string() + " allows no time at all");
}

QuietHours QuietHours::parse(config::YamlMap& map, const std::filesystem::path& base_dir) {
  const DayWindow defaults{};
  const DayWindow window{time_or(map, "start", defaults.start), time_or(map, "end", defaults.end)};
  if (window.closed()) {
    throw map.error(map.has("end") ? "end" : "start", "quiet hours end (" + window.end.to_string() +
                                                          ") before they start (" + window.start.to_string() +
                                                          "); the window is the hours in which sending is allowed");
  }
  StateRules states;
  if (map.has("state_rules")) {
    const auto path = base_dir / map.required<std::string>("state_rules");
    states = StateRules::load(path.lexically_normal());
  }
  map.finish();
  return QuietHours(window, std::move(states));
}

DayWindow QuietHours::window_on(std::chrono::weekday day, std::string_view state) const {
  const StateRule* rule = state.empty() ? nullptr : states_.find(state);
  return rule ? window_.intersect(rule->windows.on(day)) : window_;
}

bool QuietHours::allowed(TimePoint t, const std::string& zone, std::string_view state) const {
  return next_allowed(t, zone, state) == t;
}

TimePoint QuietHours::next_allowed(TimePoint t, const std::string& zone, std::string_view state) const {
  const LocalDateTime now = to_local(t, zone);
  const DayWindow today = window_on(now.weekday(), state);
  if (today.contains(now.time())) return t;
  if (!today.closed() && now.time() < today.start) {
    const TimePoint opens = to_instant({now.date, today.start.hour, today.start.minute}, zone);
    // In a fall-back overlap the first 08:00 can lie before `t` although
    // the wall clock reads earlier: the window has opened.
    return opens > t ? opens : t;
  }
  // Every rule has an open day (StateRules refuses rules closed all week),
  // so one of the next seven days opens.
  for (int ahead = 1; ahead <= 7; ++ahead) {
    const std::chrono::year_month_day date{std::chrono::sys_days(now.date) + std::chrono::days(ahead)};
    const DayWindow w = window_on(std::chrono::weekday(std::chrono::sys_days(date)), state);
    if (!w.closed()) return to_instant({date, w.start.hour, w.start.minute}, zone);
  }
  throw Error("quiet hours allow no time in the week for state '" + util::excerpt(state) + "'");
}

}  // namespace broadcaster::schedule

// Quiet hours: when a message may reach a subscriber, in their own wall
// time. The organization's daily window (default 08:00-21:00, the federal
// TCPA hours) intersected with the window of the subscriber's US state where
// its law is stricter (Florida 08:00-20:00, Texas on Sundays from noon...).
// Design: an immutable policy, loaded with the configuration; every
// question takes the instant explicitly, so the sender asks with its clock
// and tests with fixed instants. Wall time comes from zoned_time.h, so a
// window opens at 08:00 local on the day the clocks change too.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/yaml_reader.h"
#include "schedule/state_rules.h"
#include "schedule/zoned_time.h"

namespace broadcaster::schedule {

/// The quiet-hours policy.
class QuietHours {
 public:
  /// 08:00-21:00 every day, no state rules.
  QuietHours() = default;
  /// `window` every day (must be open), within each state's rule.
  QuietHours(DayWindow window, StateRules states);

  /// Reads the `quiet_hours:` mapping of broadcaster.yaml:
  ///   quiet_hours: {start: "08:00", end: "21:00", state_rules: data/quiet_hours.yaml}
  /// start and end default to 08:00 and 21:00 (end may be "24:00", the
  /// end of the day); state_rules (a path relative
  /// to `base_dir`, the folder of broadcaster.yaml) defaults to none. Calls
  /// map.finish(). Throws ConfigError at the value for a malformed time, a
  /// window that ends before it starts, an unknown key, or (naming that
  /// file) a state rules file that cannot be read or parsed.
  [[nodiscard]] static QuietHours parse(config::YamlMap& map, const std::filesystem::path& base_dir);

  /// Whether a message may reach, at `t`, someone whose wall clock is in
  /// `zone` and who lives in `state` (a USPS code such as "TX"; "" or a
  /// code without a rule: the organization's window only). Throws Error if
  /// ICU does not know `zone`.
  [[nodiscard]] bool allowed(TimePoint t, const std::string& zone, std::string_view state) const;

  /// `t` itself when allowed() is true, otherwise the instant the next
  /// allowed window opens in `zone` (the same day if it has not opened yet,
  /// else the first later day with an open window), read with the
  /// daylight-saving rules of zoned_time.h. Throws Error if ICU does not
  /// know `zone`.
  [[nodiscard]] TimePoint next_allowed(TimePoint t, const std::string& zone, std::string_view state) const;

  /// The window on `day` for `state`: the organization's intersected with
  /// the state's. Closed when they do not overlap.
  [[nodiscard]] DayWindow window_on(std::chrono::weekday day, std::string_view state) const;

  /// The organization's window.
  [[nodiscard]] const DayWindow& window() const noexcept { return window_; }
  /// The state rules in force.
  [[nodiscard]] const StateRules& states() const noexcept { return states_; }

 private:
  DayWindow window_{};
  StateRules states_;
};

}  // namespace broadcaster::schedule

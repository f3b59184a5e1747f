// The hours each US state allows for sending, where its law is stricter
// than the federal 8 a.m.-9 p.m., read from config/data/quiet_hours.yaml.
// Design: every rule carries the statute and a URL it was read from, and
// parsing refuses a rule without them, so the file holds only what can be
// cited. Windows may differ by day of the week (Texas: Sunday from noon) or
// be closed (Rhode Island: no Sundays). Holidays are not modelled. Loaded
// once into an immutable value.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "schedule/zoned_time.h"

namespace broadcaster::schedule {

/// The wall-clock hours of one day in which sending is allowed: from
/// `start` (included) to `end` (excluded). Closed when start >= end.
struct DayWindow {
  TimeOfDay start{8, 0};
  TimeOfDay end{21, 0};

  [[nodiscard]] bool closed() const noexcept { return start >= end; }
  /// Whether `time` falls in the window.
  [[nodiscard]] bool contains(TimeOfDay time) const noexcept { return start <= time && time < end; }
  /// Both windows at once (the later start, the earlier end).
  [[nodiscard]] DayWindow intersect(const DayWindow& other) const noexcept;
  /// "08:00-21:00", or "closed".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const DayWindow&, const DayWindow&) = default;
};

/// One window per day of the week.
struct WeekWindows {
  std::array<DayWindow, 7> days;  ///< by weekday::c_encoding(): Sunday = 0

  /// The window on `day`.
  [[nodiscard]] const DayWindow& on(std::chrono::weekday day) const noexcept { return days[day.c_encoding()]; }
};

/// One state's rule, with the law it comes from.
struct StateRule {
  std::string code;  ///< USPS code, "TX"
  std::string name;  ///< "Texas"
  WeekWindows windows;
  std::string law;  ///< statute, "Tex. Bus. & Com. Code § 301.051"
  std::string url;  ///< where the text can be read
};

/// The rules of every state that has one.
class StateRules {
 public:
  /// No state rules.
  StateRules() = default;

  /// Reads the YAML file at `path` (config/data/quiet_hours.yaml). Throws
  /// ConfigError as parse() does, or naming the file if it cannot be read.
  [[nodiscard]] static StateRules load(const std::filesystem::path& path);

  /// Reads `node`, a mapping with one key, `states:`, mapping a two-letter
  /// code to { name, window: {start, end}, optional monday..sunday:
  /// {start, end} or closed, law, url, optional note }. Throws ConfigError
  /// "file:line:column: ..." for an unknown key, a code that is not two
  /// capital letters, a malformed time, a window that ends before it
  /// starts, a rule closed every day, or a rule without `law` or `url`.
  [[nodiscard]] static StateRules parse(const YAML::Node& node, const std::string& file);

  /// The rule of `state` (a USPS code, "TX"); nullptr when it has none.
  [[nodiscard]] const StateRule* find(std::string_view state) const;
  /// How many states have a rule.
  [[nodiscard]] std::size_t size() const noexcept { return rules_.size(); }

 private:
  std::map<std::string, StateRule, std::less<>> rules_;
};

}  // namespace broadcaster::schedule

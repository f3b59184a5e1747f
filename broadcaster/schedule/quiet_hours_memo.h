// QuietHours answers remembered for the rest of the current UTC minute.
// Design: the sender asks before every message, and each answer is a few
// ICU calendar conversions (about 5% of `serve` at full speed, perf). The
// answer cannot change inside a UTC minute: windows open and close on whole
// local minutes (TimeOfDay has no seconds), every zone's offset from UTC is
// a whole number of minutes, and a closed window's next opening is a later
// minute boundary. So an answer for (zone, state) is kept until the minute
// ends, and the memo forgets everything when a new minute starts: it holds
// at most one entry per zone and state seen in one minute.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "schedule/quiet_hours.h"

namespace broadcaster::schedule {

class QuietHoursMemo {
 public:
  /// `hours` must outlive the memo.
  explicit QuietHoursMemo(const QuietHours& hours) : hours_(hours) {}

  /// The same as QuietHours::next_allowed(t, zone, state).
  [[nodiscard]] TimePoint next_allowed(TimePoint t, const std::string& zone, std::string_view state);

 private:
  const QuietHours& hours_;
  std::chrono::sys_time<std::chrono::minutes> minute_{};
  // (zone, state) -> the next allowed instant, or a zero time for "now".
  std::map<std::pair<std::string, std::string>, TimePoint, std::less<>> answers_;
};

}  // namespace broadcaster::schedule

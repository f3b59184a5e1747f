// QuietHours answers kept for a minute (design: quiet_hours_memo.h).
#include "schedule/quiet_hours_memo.h"

namespace broadcaster::schedule {

TimePoint QuietHoursMemo::next_allowed(TimePoint t, const std::string& zone, std::string_view state) {
  const auto minute = std::chrono::floor<std::chrono::minutes>(t);
  if (minute != minute_) {
    answers_.clear();
    minute_ = minute;
  }
  auto key = std::make_pair(zone, std::string(state));
  if (const auto it = answers_.find(key); it != answers_.end()) {
    return it->second == TimePoint{} ? t : it->second;
  }
  const TimePoint next = hours_.next_allowed(t, zone, state);
  answers_.emplace(std::move(key), next <= t ? TimePoint{} : next);
  return next;
}

}  // namespace broadcaster::schedule

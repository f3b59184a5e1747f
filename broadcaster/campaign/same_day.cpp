// Campaigns that would reach the same subscribers on the same day.
#include "campaign/same_day.h"

#include <algorithm>

#include "schedule/zoned_time.h"
#include "store/campaign_meta.h"
#include "store/subscriber_store.h"

namespace broadcaster::campaign {

namespace {

constexpr std::size_t kMembersPerCheck = 1000;

std::string day_of(std::chrono::system_clock::time_point t, const std::string& zone) {
  return schedule::to_string(schedule::to_local(t, zone).date);
}

}  // namespace

std::vector<SameDayOverlap> same_day_overlaps(const Campaign& c, const config::Config& cfg, store::RedisClient& redis,
                                              const store::Keys& keys, std::chrono::system_clock::time_point now) {
  const std::string& zone = cfg.outreach.time_zone;
  auto start = c.send_at.value_or(now);
  if (c.schedule) {
    const std::string run_zone = c.schedule->zone_or(zone);
    if (const auto next = c.schedule->next_after(now, run_zone)) start = c.schedule->instant_of(*next, run_zone);
  }
  const std::string day = day_of(std::max(start, now), zone);

  // The other campaigns starting that day, found before the audience is
  // read: on most days there are none, and a large audience is not walked
  // for nothing.
  std::vector<std::string> others;
  {
    const store::RedisValue ids = redis.command({"ZRANGE", keys.campaign_index(), "0", "-1"});
    std::vector<std::string> candidates;
    std::vector<std::vector<std::string>> starts;
    for (const auto& v : ids.as_array()) {
      if (v.as_string() == c.id.value) continue;
      candidates.push_back(v.as_string());
      starts.push_back({"HGET", keys.campaign_meta(candidates.back()), std::string(store::meta::kSendAtMs)});
    }
    const std::vector<store::RedisValue> replies = redis.pipeline(starts);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (replies[i].is_nil() || replies[i].is_error()) continue;
      const auto other_start =
          std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(replies[i].as_string())));
      if (day_of(other_start, zone) == day) others.push_back(candidates[i]);
    }
  }
  std::vector<SameDayOverlap> out;
  if (others.empty()) return out;
  store::SubscriberStore subscribers(redis, keys);
  const std::vector<std::string> audience = subscribers.audience(c.language_values(), c.tag_values());
  if (audience.empty()) return out;
  for (const auto& other : others) {
    long long shared = 0;
    for (std::size_t from = 0; from < audience.size(); from += kMembersPerCheck) {
      std::vector<std::string> command{"SMISMEMBER", keys.campaign_enqueued(other)};
      command.insert(command.end(), audience.begin() + static_cast<std::ptrdiff_t>(from),
                     audience.begin() + static_cast<std::ptrdiff_t>(std::min(audience.size(), from + kMembersPerCheck)));
      const store::RedisValue members = redis.command(command);
      for (const auto& m : members.as_array()) shared += m.as_integer();
    }
    if (shared > 0) out.push_back({other, day, shared});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SameDayOverlap& a, const SameDayOverlap& b) { return a.subscribers > b.subscribers; });
  return out;
}

}  // namespace broadcaster::campaign

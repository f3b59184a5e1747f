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
  store::SubscriberStore subscribers(redis, keys);
  const std::vector<std::string> audience = subscribers.audience(c.language_values(), c.tag_values());
  std::vector<SameDayOverlap> out;
  if (audience.empty()) return out;
  const store::RedisValue ids = redis.command({"ZRANGE", keys.campaign_index(), "0", "-1"});
  for (const auto& v : ids.as_array()) {
    const std::string other = v.as_string();
    if (other == c.id.value) continue;
    const store::RedisValue at = redis.command({"HGET", keys.campaign_meta(other), std::string(store::meta::kSendAtMs)});
    if (at.is_nil()) continue;
    const auto other_start = std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(at.as_string())));
    if (day_of(other_start, zone) != day) continue;
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

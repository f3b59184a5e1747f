// When each time zone's part of a campaign goes out.
#include "campaign/send_times.h"

#include <algorithm>
#include <map>

#include "schedule/zoned_time.h"
#include "store/subscriber_store.h"

namespace broadcaster::campaign {

std::vector<ZoneSendTime> send_times(const Campaign& c, const config::Config& cfg, store::RedisClient& redis,
                                     const store::Keys& keys, std::chrono::system_clock::time_point now) {
  store::SubscriberStore subscribers(redis, keys);
  const std::vector<std::string> numbers = subscribers.audience(c.language_values(), c.tag_values());
  const std::vector<std::string> stored = subscribers.time_zones_of(numbers);
  const auto channel = cfg.channels.find(c.channel.value);
  std::map<std::pair<std::string, std::string>, long long> groups;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    // Only those the channel reaches get a send time (campaign/reachable.h).
    if (channel != cfg.channels.end() && !channel->second.medium().reaches(util::Address::stored_kind(numbers[i]))) {
      continue;
    }
    const auto local = cfg.outreach.zone_for(numbers[i], stored[i]);
    ++groups[{local.zone, local.state}];
  }
  std::vector<ZoneSendTime> out;
  const bool urgent_passes = c.priority.value == Priority::Urgent && cfg.outreach.urgent_ignores_quiet_hours;
  for (const auto& [key, count] : groups) {
    const auto& [zone, state] = key;
    auto start = c.send_at.value_or(now);
    if (c.schedule) {
      const std::string& run_zone = c.schedule->per_recipient_zone() ? zone : c.schedule->zone_or(cfg.outreach.time_zone);
      if (const auto next = c.schedule->next_after(now, run_zone)) start = c.schedule->instant_of(*next, run_zone);
    }
    if (start < now) start = now;
    const auto allowed = urgent_passes ? start : cfg.outreach.quiet_hours.next_allowed(start, zone, state);
    out.push_back({zone, state, count, allowed, schedule::to_local(allowed, zone).to_string(), allowed > start});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ZoneSendTime& a, const ZoneSendTime& b) { return a.subscribers > b.subscribers; });
  return out;
}

}  // namespace broadcaster::campaign

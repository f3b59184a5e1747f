// register_schedule / unregister_schedule: the registry record, the meta hash.
#include "campaign/schedule_registration.h"

#include <filesystem>

#include "campaign/scheduled_run.h"
#include "store/campaign_meta.h"
#include "store/schedule_registry.h"
#include "util/errors.h"

namespace broadcaster::campaign {

std::optional<schedule::LocalDateTime> register_schedule(store::RedisClient& redis, const store::Keys& keys,
                                                         const Campaign& campaign,
                                                         std::chrono::system_clock::time_point now,
                                                         const std::string& default_zone) {
  if (!campaign.schedule) throw Error("campaign '" + campaign.id.value + "' has no schedule to register");
  const std::string& id = campaign.id.value;
  const auto first = next_occurrence(*campaign.schedule, now, default_zone);
  if (!first) {
    (void)unregister_schedule(redis, keys, id);
    return std::nullopt;
  }
  const store::ScheduledOccurrence next = registry_occurrence(*first, schedule_zone(*campaign.schedule, default_zone));
  const std::string file = std::filesystem::absolute(campaign.file).lexically_normal().string();
  store::ScheduleRegistry(redis, keys).add(id, file, next);
  const auto replies = redis.pipeline(
      {{"HSET", keys.campaign_meta(id), std::string(store::meta::kId), id, std::string(store::meta::kFile), file,
        std::string(store::meta::kNextRunMs), std::to_string(next.due_ms)},
       {"ZADD", keys.campaign_index(), "NX", std::to_string(store::epoch_ms(now)), id}});
  for (const auto& r : replies) {
    if (r.is_error()) throw RedisReplyError("recording the schedule of campaign '" + id + "': " + r.str);
  }
  return first;
}

bool unregister_schedule(store::RedisClient& redis, const store::Keys& keys, const std::string& id) {
  const bool was = store::ScheduleRegistry(redis, keys).remove(id);
  (void)redis.command({"HDEL", keys.campaign_meta(id), std::string(store::meta::kNextRunMs)});
  return was;
}

}  // namespace broadcaster::campaign

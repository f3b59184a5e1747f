// Putting a campaign with a `schedule:` on the schedule, and taking it off.
// `broadcaster campaign submit` calls register_schedule() for such a
// campaign instead of queueing it; from then on `serve` runs it
// (campaign/scheduler.h). Submitting again re-reads the rule: the campaign
// waits for the first occurrence after the new submission.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "campaign/campaign.h"
#include "schedule/zoned_time.h"
#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::campaign {

/// Registers `campaign` (which must have a schedule) to run at the first
/// occurrence of its schedule after `now` (`default_zone`, the
/// organization's `time_zone`, for a schedule that names none), replacing
/// any occurrence it waited for. Records its file as an absolute path (every
/// `serve` must be able to read that path: keep campaign files at the same
/// place on every machine), and in the campaign's meta hash its id, file and
/// next_run_ms; adds it to bc:campaigns:all (if new), so `broadcaster audit`
/// shows the scheduler's entries. Returns the first occurrence (wall time in
/// the schedule's zone, or in each recipient's), or nullopt when the rule has
/// none left: then any earlier registration is removed too, and nothing is
/// recorded. Throws Error if the campaign has no schedule or names an
/// unknown zone, RedisError.
std::optional<schedule::LocalDateTime> register_schedule(store::RedisClient& redis, const store::Keys& keys,
                                                         const Campaign& campaign,
                                                         std::chrono::system_clock::time_point now,
                                                         const std::string& default_zone);

/// Takes campaign `id` off the schedule: removes its registration and its
/// meta next_run_ms. Returns true if it was scheduled. For `campaign
/// cancel`. Throws RedisError.
bool unregister_schedule(store::RedisClient& redis, const store::Keys& keys, const std::string& id);

}  // namespace broadcaster::campaign

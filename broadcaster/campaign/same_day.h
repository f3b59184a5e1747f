// Campaigns that would reach the same subscribers on the same day: the
// program promises a few messages a week, and two campaigns in one day to
// one person read as noise. Read-only, for `campaign preview` and `campaign
// submit` (validation runs without Redis). The day is the organization's
// (outreach.time_zone) date of each campaign's start.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "campaign/campaign.h"
#include "config/config.h"
#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::campaign {

/// Another campaign starting the same day, and how many of this campaign's
/// audience it has queued.
struct SameDayOverlap {
  std::string campaign;
  std::string date;  ///< YYYY-MM-DD in the organization's zone
  long long subscribers = 0;
};

/// The other campaigns starting on the day `c` starts that queued some of
/// its audience, most shared subscribers first. Throws RedisError.
std::vector<SameDayOverlap> same_day_overlaps(const Campaign& c, const config::Config& cfg, store::RedisClient& redis,
                                              const store::Keys& keys, std::chrono::system_clock::time_point now);

}  // namespace broadcaster::campaign

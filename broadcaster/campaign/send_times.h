// When each time zone's part of a campaign goes out, for `campaign preview`:
// the campaign's start (send_at, the schedule's next run in that zone, or
// now), moved to the next allowed window of quiet hours in that zone (and
// the subscribers' US state). Read-only; the sender decides again at send
// time with the same rules (config::OutreachConfig::zone_for, QuietHours).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "campaign/campaign.h"
#include "config/config.h"
#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::campaign {

/// The subscribers of one zone and state, and when their messages go out.
struct ZoneSendTime {
  std::string zone;   ///< IANA zone
  std::string state;  ///< US state from the area code, "" when unknown
  long long subscribers = 0;
  /// The first instant their messages may go out (quiet hours applied).
  std::chrono::system_clock::time_point first;
  /// `first` as wall time in `zone`, "2026-12-08 10:00".
  std::string local;
  bool waits_for_quiet_hours = false;  ///< quiet hours moved it later
};

/// Groups the campaign's audience by zone and state (most subscribers
/// first). Throws RedisError.
std::vector<ZoneSendTime> send_times(const Campaign& c, const config::Config& cfg, store::RedisClient& redis,
                                     const store::Keys& keys, std::chrono::system_clock::time_point now);

}  // namespace broadcaster::campaign

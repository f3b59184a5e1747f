// What the status page shows, read from Redis in one go: the running and
// recent campaigns with their counts, the opt-outs of today, and every
// `serve` process that said it was alive lately.
// Design: the campaign part is stats::stats_to_json, the same object
// `stats --json` prints, so the page and the command can never disagree on
// a count or a field's name. Numbers leave this file only masked. Keyword
// reply campaigns (one per inbound text) are left out of the list; the page
// is about what staff sent. Reads are bounded: a fixed number of campaigns,
// today's slice of the consent log, the presence set.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "store/keys.h"
#include "store/redis_client.h"

namespace broadcaster::status {

/// How many campaigns the page lists at most: those still sending (or
/// waiting, paused, scheduled) first, then the latest finished ones.
inline constexpr std::size_t kCampaignsShown = 12;
/// How many of today's opt-outs are listed one by one (masked).
inline constexpr std::size_t kRecentOptOutsShown = 5;

/// What the snapshot is read for.
struct SnapshotScope {
  std::string time_zone;  ///< the organization's (outreach.time_zone): when "today" starts
  std::string process;    ///< the name of the `serve` that answers, to mark it on the page
};

/// Reads everything the page shows, as JSON:
///   generated_at (ISO 8601 UTC, Redis's clock), time_zone, answered_by,
///   campaigns: [stats_to_json(...)],           running first, newest first
///   errors: [{code, meaning, kind, count, campaigns}],  over those campaigns,
///                                              send failures and receipts
///   today: {date, opt_outs, opt_ins, recent_opt_outs: [{at, number, source}]},
///   processes: [{name, last_seen_seconds, alive}], newest first.
/// Throws RedisError.
[[nodiscard]] nlohmann::json read_status_snapshot(store::RedisClient& redis, const store::Keys& keys,
                                                  const SnapshotScope& scope);

}  // namespace broadcaster::status

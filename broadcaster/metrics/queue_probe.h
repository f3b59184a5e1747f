// Per-campaign queue gauges, read from Redis when /metrics is scraped:
// messages without an outcome yet, the age of the oldest of them, and
// messages set aside until later, for every running campaign (the members
// of bc:campaigns).
// Design: asynchronous, over serve's own AsyncCommands (RedisLink), so a
// scrape never blocks the loop; every campaign's commands go out at once
// and `done` runs after the last answer. While Redis is down the commands
// fail fast: the campaign gauges are then left out of the scrape (no stale
// numbers), and broadcaster_redis_up says why.
//   queued = the consumer group's lag (entries not read yet) + its pending
//            entries (read, not acknowledged);
//   oldest = now - the ms part of the oldest such entry's id (the first
//            pending one, or the first after last-delivered-id);
//   deferred = ZCARD of the campaign's deferred set.
// When Redis cannot say the lag (entries deleted from the stream by defer or
// forget), the entries after last-delivered-id are counted, up to
// kCountLimit.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "metrics/serve_metrics.h"
#include "store/async_commands.h"
#include "store/keys.h"
#include "store/keyword_reply.h"

namespace broadcaster::metrics {

/// Keyword replies sent as messages are campaigns of one message each,
/// named store::kReplyCampaignPrefix + endpoint + provider id
/// (store/keyword_reply.h owns the format): a label per reply would make a
/// new series for every text, so they are reported together under
/// campaign="keyword_replies" (queued and deferred summed, the oldest age
/// their maximum).
inline constexpr std::string_view kRepliesLabel = "keyword_replies";

/// The campaign label for campaign `id`.
[[nodiscard]] std::string campaign_label(const std::string& id);

/// Campaigns read per scrape at most (the oldest-due first).
inline constexpr int kMaxCampaigns = 500;
/// Entries counted per campaign when the lag is unknown.
inline constexpr int kCountLimit = 10000;

/// Reads the queue gauges into `metrics` (queued, oldest_queued, deferred,
/// each replaced whole), then calls `done` (on the io_context thread, once,
/// also when Redis fails). `redis` and `metrics` must outlive the call.
void probe_queues(store::AsyncCommands& redis, const store::Keys& keys, ServeMetrics& metrics,
                  std::function<void()> done);

}  // namespace broadcaster::metrics

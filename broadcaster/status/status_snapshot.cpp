// Reading the status page's snapshot.
#include "status/status_snapshot.h"

#include <algorithm>
#include <map>
#include <vector>

#include "schedule/zoned_time.h"
#include "stats/campaign_stats.h"
#include "store/campaign_meta.h"
#include "store/keyword_reply.h"
#include "store/serve_presence.h"
#include "store/subscriber_store.h"
#include "util/address.h"
#include "util/errors.h"

namespace broadcaster::status {

namespace {

using Clock = std::chrono::system_clock;

// How many ids of the campaign index (newest first) are looked at, and how
// many campaigns' counters are read, per snapshot: enough to find every
// running campaign among the keyword replies of a busy day, few enough that
// a snapshot stays a handful of round trips.
constexpr long kIdsLookedAt = 2000;
constexpr std::size_t kCampaignsRead = 2 * kCampaignsShown;
// Consent entries read per XRANGE while counting today's.
constexpr const char* kConsentBatch = "1000";

Clock::time_point redis_now(store::RedisClient& redis) {
  const store::RedisValue time = redis.command({"TIME"});
  const auto& parts = time.as_array();
  if (parts.size() != 2) throw RedisReplyError("TIME: unexpected reply");
  return Clock::time_point(std::chrono::seconds(std::stoll(parts[0].str)) +
                           std::chrono::microseconds(std::stoll(parts[1].str)));
}

long long ms_since_epoch(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool running(const stats::CampaignStats& s) {
  return s.status != store::meta::kDone && s.status != store::meta::kCancelled;
}

nlohmann::json campaigns_part(store::RedisClient& redis, const store::Keys& keys,
                              std::vector<stats::CampaignStats>& read) {
  const store::RedisValue ids =
      redis.command({"ZREVRANGE", keys.campaign_index(), "0", std::to_string(kIdsLookedAt - 1)});
  for (const auto& id : ids.as_array()) {
    if (read.size() == kCampaignsRead) break;
    if (id.str.starts_with(store::kReplyCampaignPrefix)) continue;
    try {
      read.push_back(stats::read_campaign_stats(redis, keys, id.str));
    } catch (const RedisError&) {
      throw;
    } catch (const Error&) {
      // Purged by retention between the two reads: not shown.
    }
  }
  // Running ones first; within each group the newest first (as read).
  std::stable_partition(read.begin(), read.end(), running);
  if (read.size() > kCampaignsShown) read.resize(kCampaignsShown);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : read) out.push_back(stats::stats_to_json(s));
  return out;
}

// Send failures and failed receipts of the listed campaigns, by code, most
// frequent first, with the provider's meaning (from the campaigns' JSON, so
// the words are the ones `stats` prints).
nlohmann::json errors_part(const nlohmann::json& campaigns) {
  struct Total {
    nlohmann::json meaning, kind;
    long long count = 0;
    std::vector<std::string> campaigns;
  };
  std::map<std::string, Total> by_code;
  for (const auto& c : campaigns) {
    for (const char* part : {"send_errors", "receipt_errors"}) {
      for (const auto& [code, e] : c[part].items()) {
        Total& t = by_code[code];
        t.meaning = e["meaning"];
        t.kind = e["kind"];
        t.count += e["count"].get<long long>();
        const std::string id = c["campaign"].get<std::string>();
        if (std::find(t.campaigns.begin(), t.campaigns.end(), id) == t.campaigns.end()) t.campaigns.push_back(id);
      }
    }
  }
  std::vector<std::pair<std::string, Total>> sorted(by_code.begin(), by_code.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [code, t] : sorted) {
    out.push_back(
        {{"code", code}, {"meaning", t.meaning}, {"kind", t.kind}, {"count", t.count}, {"campaigns", t.campaigns}});
  }
  return out;
}

std::string field_of(const store::RedisValue& entry_fields, std::string_view name) {
  const auto& f = entry_fields.as_array();
  for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
    if (f[i].str == name) return f[i + 1].str;
  }
  return {};
}

// Opt-ins and opt-outs in the consent log since local midnight: its stream
// ids are Redis's milliseconds, so today is the range from midnight's.
nlohmann::json today_part(store::RedisClient& redis, const store::Keys& keys, Clock::time_point now,
                          const std::string& zone) {
  schedule::LocalDateTime local = schedule::to_local(now, zone);
  const std::string date = schedule::to_string(local.date);
  local.hour = 0;
  local.minute = 0;
  const std::string midnight = std::to_string(ms_since_epoch(schedule::to_instant(local, zone)));
  long long opt_outs = 0;
  long long opt_ins = 0;
  std::string start = midnight;
  for (;;) {
    const store::RedisValue batch = redis.command({"XRANGE", keys.consent(), start, "+", "COUNT", kConsentBatch});
    const auto& entries = batch.as_array();
    for (const auto& e : entries) {
      const std::string action = field_of(e.as_array()[1], "action");
      if (action == "opt_out") ++opt_outs;
      if (action == "opt_in") ++opt_ins;
    }
    if (entries.size() < static_cast<std::size_t>(std::stoi(kConsentBatch))) break;
    start = "(" + entries.back().as_array()[0].str;
  }
  // The latest few, newest first, with the number masked.
  nlohmann::json recent = nlohmann::json::array();
  const store::RedisValue latest = redis.command({"XREVRANGE", keys.consent(), "+", midnight, "COUNT", "200"});
  for (const auto& e : latest.as_array()) {
    if (recent.size() == kRecentOptOutsShown) break;
    const auto& parts = e.as_array();
    if (field_of(parts[1], "action") != "opt_out") continue;
    const store::RedisValue phone = redis.command({"HGET", keys.consent_pii(), parts[0].str + ":phone"});
    recent.push_back(
        {{"at", field_of(parts[1], "at")},
         {"number", phone.is_nil() ? nlohmann::json(nullptr) : nlohmann::json(util::mask_stored(phone.str))},
         {"source", field_of(parts[1], "source")}});
  }
  return {{"date", date}, {"opt_outs", opt_outs}, {"opt_ins", opt_ins}, {"recent_opt_outs", recent}};
}

// Every process in the presence set (a clean stop leaves it; one killed
// outright stays until kForgetAfter), newest first.
nlohmann::json processes_part(store::RedisClient& redis, const store::Keys& keys, Clock::time_point now) {
  const store::RedisValue seen = redis.command({"ZREVRANGE", keys.serve_processes(), "0", "-1", "WITHSCORES"});
  const auto& items = seen.as_array();
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    const long long age_ms = std::max(0LL, ms_since_epoch(now) - std::stoll(items[i + 1].str));
    out.push_back({{"name", items[i].str},
                   {"last_seen_seconds", static_cast<double>(age_ms) / 1000.0},
                   {"alive", age_ms <= store::kAliveWithin.count()}});
  }
  return out;
}

}  // namespace

nlohmann::json read_status_snapshot(store::RedisClient& redis, const store::Keys& keys, const SnapshotScope& scope) {
  const Clock::time_point now = redis_now(redis);
  std::vector<stats::CampaignStats> read;
  nlohmann::json campaigns = campaigns_part(redis, keys, read);
  nlohmann::json errors = errors_part(campaigns);
  return {{"generated_at", store::iso8601(now)},
          {"time_zone", scope.time_zone},
          {"answered_by", scope.process},
          {"campaigns", std::move(campaigns)},
          {"errors", std::move(errors)},
          {"today", today_part(redis, keys, now, scope.time_zone)},
          {"processes", processes_part(redis, keys, now)}};
}

}  // namespace broadcaster::status

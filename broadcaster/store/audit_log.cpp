// Audit streams: XADD one entry, XREVRANGE one campaign, merge them all.
#include "store/audit_log.h"

#include <algorithm>
#include <charconv>

#include "store/subscriber_store.h"
#include "util/errors.h"

namespace broadcaster::store {

namespace {

constexpr std::size_t kCampaignsPerPipeline = 100;

AuditEntry parse_entry(const RedisValue& element) {
  const auto& parts = element.as_array();
  AuditEntry e;
  e.id = parts.at(0).as_string();
  auto fields = parts.at(1).as_map();
  e.at = std::move(fields[std::string(audit_fields::kAt)]);
  e.actor = std::move(fields[std::string(audit_fields::kActor)]);
  e.action = std::move(fields[std::string(audit_fields::kAction)]);
  e.campaign = std::move(fields[std::string(audit_fields::kCampaign)]);
  e.detail = std::move(fields[std::string(audit_fields::kDetail)]);
  return e;
}

/// A stream id "ms-seq" as numbers, for ordering entries of different streams.
std::pair<unsigned long long, unsigned long long> id_order(const std::string& id) {
  unsigned long long ms = 0, seq = 0;
  const auto dash = id.find('-');
  std::from_chars(id.data(), id.data() + std::min(dash, id.size()), ms);
  if (dash != std::string::npos) std::from_chars(id.data() + dash + 1, id.data() + id.size(), seq);
  return {ms, seq};
}

bool older(const AuditEntry& a, const AuditEntry& b) {
  const auto ka = id_order(a.id), kb = id_order(b.id);
  if (ka != kb) return ka < kb;
  return a.campaign < b.campaign;
}

std::vector<std::string> newest_command(const Keys& keys, const std::string& id, std::size_t limit) {
  return {"XREVRANGE", keys.campaign_audit(id), "+", "-", "COUNT", std::to_string(std::max<std::size_t>(limit, 1))};
}

}  // namespace

std::vector<std::string> audit_entry_fields(const AuditEntry& entry, std::chrono::system_clock::time_point now) {
  if (entry.actor.empty() || entry.action.empty() || entry.campaign.empty()) {
    throw Error("an audit entry needs an actor, an action and a campaign");
  }
  if (entry.detail.size() > kMaxAuditDetailBytes) {
    throw Error("an audit entry's detail has at most " + std::to_string(kMaxAuditDetailBytes) + " bytes");
  }
  return {std::string(audit_fields::kAt),       entry.at.empty() ? iso8601(now) : entry.at,
          std::string(audit_fields::kActor),    entry.actor,
          std::string(audit_fields::kAction),   entry.action,
          std::string(audit_fields::kCampaign), entry.campaign,
          std::string(audit_fields::kDetail),   entry.detail};
}

std::vector<std::string> audit_append_command(const Keys& keys, const AuditEntry& entry) {
  std::vector<std::string> cmd{"XADD", keys.campaign_audit(entry.campaign), "*"};
  for (auto& f : audit_entry_fields(entry)) cmd.push_back(std::move(f));
  return cmd;
}

std::string AuditLog::append(const AuditEntry& entry) {
  return redis_.command(audit_append_command(keys_, entry)).as_string();
}

std::vector<AuditEntry> AuditLog::of_campaign(const std::string& id, std::size_t limit) {
  std::vector<AuditEntry> out;
  if (limit == 0) return out;
  const RedisValue reply = redis_.command(newest_command(keys_, id, limit));
  for (const auto& element : reply.as_array()) out.push_back(parse_entry(element));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<AuditEntry> AuditLog::latest(std::size_t limit) {
  std::vector<AuditEntry> kept;
  if (limit == 0) return kept;
  const auto ids = redis_.command({"ZRANGE", keys_.campaign_index(), "0", "-1"}).as_array();
  for (std::size_t start = 0; start < ids.size(); start += kCampaignsPerPipeline) {
    std::vector<std::vector<std::string>> reads;
    for (std::size_t i = start; i < std::min(ids.size(), start + kCampaignsPerPipeline); ++i) {
      reads.push_back(newest_command(keys_, ids[i].as_string(), limit));
    }
    for (const auto& reply : redis_.pipeline(reads)) {
      if (reply.is_error()) throw RedisReplyError("reading an audit stream: " + reply.str);
      for (const auto& element : reply.as_array()) kept.push_back(parse_entry(element));
    }
    // Keep only the newest `limit` so far.
    std::sort(kept.begin(), kept.end(), older);
    if (kept.size() > limit) kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(limit));
  }
  return kept;
}

}  // namespace broadcaster::store

// Scheduled campaigns: a MULTI block to register, two scripts to claim and
// finish occurrences.
#include "store/schedule_registry.h"

#include "store/scripts.h"
#include "util/errors.h"

namespace broadcaster::store {

namespace {

namespace f = schedule_fields;

std::string s(std::string_view v) { return std::string(v); }

std::string_view outcome_word(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::Fired:
      return "fired";
    case RunOutcome::Expired:
      return "expired";
    case RunOutcome::Skipped:
      return "skipped";
  }
  return "skipped";
}

CompleteResult complete_result(const std::string& word) {
  if (word == "next") return CompleteResult::Next;
  if (word == "ended") return CompleteResult::Ended;
  if (word == "deferred") return CompleteResult::Deferred;
  if (word == "stale") return CompleteResult::Stale;
  if (word == "unknown") return CompleteResult::Unknown;
  throw RedisReplyError("schedule_complete answered '" + word + "', which this version does not know");
}

// A counter field; absent reads 0.
long long number(const std::string& text) {
  if (text.empty()) return 0;
  return RedisValue::string(text).as_integer();  // throws RedisReplyError for a damaged value
}

}  // namespace

long long epoch_ms(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void ScheduleRegistry::add(const std::string& id, const std::string& file, const ScheduledOccurrence& next) {
  const std::string hash = keys_.schedule(id);
  const auto replies =
      redis_.pipeline({{"MULTI"},
                       {"HSET", hash, s(f::kFile), file, s(f::kNext), next.local, s(f::kZone), next.zone, s(f::kNextMs),
                        std::to_string(next.due_ms), s(f::kState), "waiting", s(f::kAttempt), "0"},
                       {"HDEL", hash, s(f::kLeaseUntilMs), s(f::kSkipped)},
                       {"ZADD", keys_.schedule_due(), std::to_string(next.due_ms), id},
                       {"EXEC"}});
  for (const auto& r : replies) {
    if (r.is_error()) throw RedisReplyError("scheduling campaign '" + id + "': " + r.str);
  }
  for (const auto& r : replies.back().as_array()) {
    if (r.is_error()) throw RedisReplyError("scheduling campaign '" + id + "': " + r.str);
  }
}

bool ScheduleRegistry::remove(const std::string& id) {
  const auto replies =
      redis_.pipeline({{"MULTI"}, {"DEL", keys_.schedule(id)}, {"ZREM", keys_.schedule_due(), id}, {"EXEC"}});
  for (const auto& r : replies) {
    if (r.is_error()) throw RedisReplyError("unscheduling campaign '" + id + "': " + r.str);
  }
  const auto& results = replies.back().as_array();
  return results.at(0).as_integer() + results.at(1).as_integer() > 0;
}

std::vector<ClaimedOccurrence> ScheduleRegistry::claim_due(std::chrono::system_clock::time_point now,
                                                           std::chrono::milliseconds lease, std::size_t limit) {
  const std::string now_ms = std::to_string(epoch_ms(now));
  const RedisValue due =
      redis_.command({"ZRANGEBYSCORE", keys_.schedule_due(), "-inf", now_ms, "LIMIT", "0", std::to_string(limit)});
  std::vector<ClaimedOccurrence> out;
  if (due.as_array().empty()) return out;
  std::vector<std::string> keys{keys_.schedule_due()};
  std::vector<std::string> args{now_ms, std::to_string(lease.count())};
  for (const auto& id : due.as_array()) {
    keys.push_back(keys_.schedule(id.as_string()));
    args.push_back(id.as_string());
  }
  const RedisValue claimed = redis_.eval(scripts().schedule_claim, keys, args);
  for (const auto& item : claimed.as_array()) {
    const auto& p = item.as_array();
    ClaimedOccurrence c;
    c.id = p.at(0).as_string();
    c.file = p.at(1).as_string();
    c.occurrence.local = p.at(2).as_string();
    c.occurrence.zone = p.at(3).as_string();
    c.occurrence.due_ms = p.at(4).as_integer();
    c.attempt = p.at(5).as_integer();
    c.skipped = !p.at(6).as_string().empty();
    out.push_back(std::move(c));
  }
  return out;
}

CompleteResult ScheduleRegistry::complete(const std::string& id, const std::string& occurrence, RunOutcome outcome,
                                          const std::optional<ScheduledOccurrence>& next) {
  const RedisValue r = redis_.eval(scripts().schedule_complete, {keys_.schedule_due(), keys_.schedule(id)},
                                   {id, occurrence, s(outcome_word(outcome)), next ? next->local : "",
                                    next ? next->zone : "", next ? std::to_string(next->due_ms) : "0"});
  return complete_result(r.as_string());
}

CompleteResult ScheduleRegistry::defer(const std::string& id, const std::string& occurrence,
                                       std::chrono::system_clock::time_point retry_at) {
  const RedisValue r = redis_.eval(scripts().schedule_complete, {keys_.schedule_due(), keys_.schedule(id)},
                                   {id, occurrence, "defer", "", "", std::to_string(epoch_ms(retry_at))});
  return complete_result(r.as_string());
}

std::optional<ScheduleRecord> ScheduleRegistry::get(const std::string& id) {
  const auto h = redis_.command({"HGETALL", keys_.schedule(id)}).as_map();
  if (h.empty()) return std::nullopt;
  auto field = [&](std::string_view name) {
    const auto it = h.find(s(name));
    return it == h.end() ? std::string() : it->second;
  };
  ScheduleRecord r;
  r.id = id;
  r.file = field(f::kFile);
  r.next.local = field(f::kNext);
  r.next.zone = field(f::kZone);
  r.next.due_ms = number(field(f::kNextMs));
  r.state = field(f::kState);
  r.last_fired = field(f::kLastFired);
  r.last_outcome = field(f::kLastOutcome);
  r.runs = number(field(f::kRuns));
  return r;
}

std::vector<std::string> ScheduleRegistry::ids() {
  std::vector<std::string> out;
  for (const auto& v : redis_.command({"ZRANGE", keys_.schedule_due(), "0", "-1"}).as_array()) {
    out.push_back(v.as_string());
  }
  return out;
}

}  // namespace broadcaster::store

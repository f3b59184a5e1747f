// Pausing, resuming and cancelling a campaign on a real redis-server: every
// transition and refusal, the audit entries they write (actor, action, time,
// in order), and what a cancel leaves: the status senders obey, the count
// of messages never sent, the retention expiry on every per-message key,
// and no entry in bc:campaigns.
#include "store/campaign_control.h"

#include <catch2/catch.hpp>
#include <map>

#include "store/audit_log.h"
#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/campaign_meta.h"
#include "store/redis_client.h"
#include "store/scripts.h"
#include "support/redis_contents.h"
#include "support/redis_server.h"
#include "util/errors.h"

using namespace broadcaster;
using store::ControlAction;
using store::ControlOutcome;

namespace {

constexpr long long kDay = 86'400'000;  // ms

std::chrono::system_clock::time_point at_minute(int minute) {
  return std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(10) +
         std::chrono::minutes(minute);
}

struct Fixture {
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};

  // What campaign/submit.cpp does for campaign `id`, with `status`.
  void create(const std::string& id, std::string_view status, long long retention_ms = 7 * kDay) {
    (void)redis.command(
        {"XGROUP", "CREATE", keys.campaign_queue(id), std::string(store::kConsumerGroup), "0", "MKSTREAM"});
    (void)redis.command({"HSET", keys.campaign_meta(id), std::string(store::meta::kId), id,
                         std::string(store::meta::kStatus), std::string(status), std::string(store::meta::kRetentionMs),
                         std::to_string(retention_ms)});
    (void)redis.command({"ZADD", keys.campaign_index(), "NX", "1", id});
    (void)redis.command({"ZADD", keys.campaigns(), "1", id});
  }
  void enqueue(const std::string& id, const std::vector<std::string>& numbers) {
    store::EnqueueCall call(keys, id);
    for (const auto& n : numbers) call.add({n, "es", "Taller el sábado"});
    const auto [script_keys, args] = call.take();
    (void)redis.eval(store::scripts().enqueue, script_keys, args);
  }
  // A sender reads one message, and either records it sent or only starts
  // its send (a marker and no outcome yet).
  std::pair<std::string, std::string> read_one(const std::string& id) {
    const auto r = redis.command({"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), "test", "COUNT", "1",
                                  "STREAMS", keys.campaign_queue(id), ">"});
    const auto& entry = r.as_array().at(0).as_array().at(1).as_array().at(0).as_array();
    return {entry.at(0).as_string(), entry.at(1).as_map().at("to")};
  }
  void send_one(const std::string& id) {
    const auto [entry_id, number] = read_one(id);
    const auto call = store::record_outcome_call(keys, id, entry_id, number, "sent:SM1", "en", {"sent"});
    (void)redis.eval(store::scripts().record_outcome, call.first, call.second);
  }
  void start_one(const std::string& id) {
    const auto [entry_id, number] = read_one(id);
    const auto call = store::send_begin_call(keys, id, number, 1, "tok", "");
    REQUIRE(redis.eval(store::scripts().send_begin, call.first, call.second).as_array().at(0).as_array().at(0).as_string() ==
            "new");
  }
  std::string meta(const std::string& id, std::string_view field) {
    const auto v = redis.command({"HGET", keys.campaign_meta(id), std::string(field)});
    return v.is_nil() ? std::string() : v.as_string();
  }
  long long stat(const std::string& id, std::string_view field) {
    const auto v = redis.command({"HGET", keys.campaign_stats(id), std::string(field)});
    return v.is_nil() ? 0 : std::stoll(v.as_string());
  }
  std::vector<store::AuditEntry> audit(const std::string& id) {
    return store::AuditLog(redis, keys).of_campaign(id, 100);
  }
  bool in_work_list(const std::string& id) { return !redis.command({"ZSCORE", keys.campaigns(), id}).is_nil(); }
};

}  // namespace

TEST_CASE("each action changes only the statuses it may, and says why it refused") {
  struct Case {
    const char* label;
    const char* before;  // nullptr: the campaign was never submitted
    ControlAction action;
    ControlOutcome outcome;
    const char* after;
  };
  const Case cases[] = {
      {"pause a sending campaign", "sending", ControlAction::Pause, ControlOutcome::Done, "paused"},
      {"pause a paused one", "paused", ControlAction::Pause, ControlOutcome::AlreadyInState, "paused"},
      {"pause a done one", "done", ControlAction::Pause, ControlOutcome::NotAllowed, "done"},
      {"pause a cancelled one", "cancelled", ControlAction::Pause, ControlOutcome::NotAllowed, "cancelled"},
      {"pause an unknown one", nullptr, ControlAction::Pause, ControlOutcome::Unknown, ""},
      {"resume a paused campaign", "paused", ControlAction::Resume, ControlOutcome::Done, "sending"},
      {"resume a sending one", "sending", ControlAction::Resume, ControlOutcome::AlreadyInState, "sending"},
      {"resume a done one", "done", ControlAction::Resume, ControlOutcome::NotAllowed, "done"},
      {"resume a cancelled one", "cancelled", ControlAction::Resume, ControlOutcome::NotAllowed, "cancelled"},
      {"resume an unknown one", nullptr, ControlAction::Resume, ControlOutcome::Unknown, ""},
      {"cancel a sending campaign", "sending", ControlAction::Cancel, ControlOutcome::Done, "cancelled"},
      {"cancel a paused campaign", "paused", ControlAction::Cancel, ControlOutcome::Done, "cancelled"},
      {"cancel a cancelled one", "cancelled", ControlAction::Cancel, ControlOutcome::AlreadyInState, "cancelled"},
      {"cancel a done one", "done", ControlAction::Cancel, ControlOutcome::NotAllowed, "done"},
      {"cancel an unknown one", nullptr, ControlAction::Cancel, ControlOutcome::Unknown, ""},
      {"pause a damaged status", "bogus", ControlAction::Pause, ControlOutcome::NotAllowed, "bogus"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      if (c.before) f.create("c1", c.before);
      const auto r = store::control_campaign(f.redis, f.keys, "c1", c.action, "Ana Ruiz", "", at_minute(1));
      CHECK(r.outcome == c.outcome);
      CHECK(r.status_before == (c.before ? c.before : ""));
      CHECK(f.meta("c1", store::meta::kStatus) == c.after);
      const auto audit = f.audit("c1");
      if (c.outcome == ControlOutcome::Done) {
        REQUIRE(audit.size() == 1);
        CHECK(audit[0].id == r.audit_id);
        CHECK(audit[0].action == store::to_string(c.action));
        CHECK(audit[0].actor == "Ana Ruiz");
        CHECK(audit[0].campaign == "c1");
        CHECK(audit[0].at == "2026-12-01T10:01:00Z");
        CHECK_FALSE(audit[0].detail.empty());
      } else {
        CHECK(audit.empty());
        CHECK(r.audit_id.empty());
      }
      // Only a cancel takes the campaign off the work list.
      if (c.before) {
        const bool cancelled = std::string(c.after) == "cancelled" && c.action == ControlAction::Cancel;
        CHECK(f.in_work_list("c1") == !cancelled);
      }
    }
  }
}

TEST_CASE("pause, resume and cancel by different people are audited in order with actor and time") {
  Fixture f;
  f.create("c1", store::meta::kSending);
  using store::control_campaign;
  REQUIRE(
      control_campaign(f.redis, f.keys, "c1", ControlAction::Pause, "Ana Ruiz", "wrong date", at_minute(1)).outcome ==
      ControlOutcome::Done);
  REQUIRE(control_campaign(f.redis, f.keys, "c1", ControlAction::Pause, "Luis Vang", "", at_minute(2)).outcome ==
          ControlOutcome::AlreadyInState);
  REQUIRE(control_campaign(f.redis, f.keys, "c1", ControlAction::Resume, "Luis Vang", "", at_minute(3)).outcome ==
          ControlOutcome::Done);
  REQUIRE(control_campaign(f.redis, f.keys, "c1", ControlAction::Cancel, "Ana Ruiz", "", at_minute(4)).outcome ==
          ControlOutcome::Done);
  const auto audit = f.audit("c1");
  REQUIRE(audit.size() == 3);
  CHECK(audit[0].action == "pause");
  CHECK(audit[0].actor == "Ana Ruiz");
  CHECK(audit[0].detail == "wrong date");
  CHECK(audit[0].at == "2026-12-01T10:01:00Z");
  CHECK(audit[1].action == "resume");
  CHECK(audit[1].actor == "Luis Vang");
  CHECK(audit[1].at == "2026-12-01T10:03:00Z");
  CHECK(audit[2].action == "cancel");
  CHECK(audit[2].actor == "Ana Ruiz");
  CHECK(audit[2].at == "2026-12-01T10:04:00Z");
  CHECK(f.meta("c1", store::meta::kCancelledAt) == "2026-12-01T10:04:00Z");
}

TEST_CASE("an action needs an actor") {
  Fixture f;
  f.create("c1", store::meta::kSending);
  CHECK_THROWS_AS(store::control_campaign(f.redis, f.keys, "c1", ControlAction::Pause, ""), Error);
  CHECK(f.meta("c1", store::meta::kStatus) == "sending");
}

TEST_CASE("a cancel counts the messages never sent and starts the purge clock on every per-message key") {
  Fixture f;
  f.create("c1", store::meta::kSending, 3 * kDay);
  f.enqueue("c1", {"+15595550101", "+15595550102", "+15595550103", "+15595550104", "+15595550105"});
  f.send_one("c1");   // has an outcome
  f.start_one("c1");  // being sent: its outcome may still come
  REQUIRE(store::control_campaign(f.redis, f.keys, "c1", ControlAction::Pause, "Ana Ruiz").outcome ==
          ControlOutcome::Done);
  const auto r = store::control_campaign(f.redis, f.keys, "c1", ControlAction::Cancel, "Luis Vang");
  REQUIRE(r.outcome == ControlOutcome::Done);
  CHECK(r.status_before == "paused");
  CHECK(r.cancelled == 3);  // 5 queued - 1 sent - 1 being sent
  CHECK(f.stat("c1", store::counters::kCancelled) == 3);
  CHECK(f.meta("c1", store::meta::kStatus) == "cancelled");
  CHECK_FALSE(f.in_work_list("c1"));
  REQUIRE(r.purge_at_ms > 0);
  CHECK(std::to_string(r.purge_at_ms) == f.meta("c1", store::meta::kPurgeAtMs));
  const auto stored = testing::existing_keys(f.redis, f.keys.campaign_message_keys("c1"));
  // queue, enqueued, outcome, the marker's hash and the texts (nothing was deferred)
  CHECK(stored.size() == 5);
  for (const auto& key : stored) {
    DYNAMIC_SECTION(key) { CHECK(f.redis.command({"PEXPIRETIME", key}).as_integer() == r.purge_at_ms); }
  }
  // Meta, stats and the audit log stay.
  for (const auto& key : {f.keys.campaign_meta("c1"), f.keys.campaign_stats("c1"), f.keys.campaign_audit("c1")}) {
    CHECK(f.redis.command({"PTTL", key}).as_integer() == -1);
  }

  // Cancelling again changes nothing and counts nothing twice.
  const auto again = store::control_campaign(f.redis, f.keys, "c1", ControlAction::Cancel, "Ana Ruiz");
  CHECK(again.outcome == ControlOutcome::AlreadyInState);
  CHECK(f.stat("c1", store::counters::kCancelled) == 3);
  CHECK(f.audit("c1").size() == 2);
}

TEST_CASE("a cancelled campaign stays cancelled when campaign_finish runs after its last outcome") {
  Fixture f;
  f.create("c1", store::meta::kSending);
  f.enqueue("c1", {"+15595550101", "+15595550102"});
  f.send_one("c1");
  REQUIRE(store::control_campaign(f.redis, f.keys, "c1", ControlAction::Cancel, "Ana Ruiz").outcome ==
          ControlOutcome::Done);
  const std::string purge_at = f.meta("c1", store::meta::kPurgeAtMs);
  const auto call = store::campaign_finish_call(f.keys, "c1");
  CHECK(f.redis.eval(store::scripts().campaign_finish, call.first, call.second).as_integer() == 1);
  CHECK(f.meta("c1", store::meta::kStatus) == "cancelled");
  CHECK(f.meta("c1", store::meta::kDoneAt).empty());
  CHECK(f.meta("c1", store::meta::kPurgeAtMs) == purge_at);
}

TEST_CASE("a paused campaign resumed keeps every outcome, so nobody is sent a second copy") {
  Fixture f;
  f.create("c1", store::meta::kSending);
  f.enqueue("c1", {"+15595550101", "+15595550102", "+15595550103"});
  f.send_one("c1");
  REQUIRE(store::control_campaign(f.redis, f.keys, "c1", ControlAction::Pause, "Ana Ruiz").outcome ==
          ControlOutcome::Done);
  REQUIRE(store::control_campaign(f.redis, f.keys, "c1", ControlAction::Resume, "Ana Ruiz").outcome ==
          ControlOutcome::Done);
  CHECK(f.redis.command({"HLEN", f.keys.campaign_outcome("c1")}).as_integer() == 1);
  CHECK(f.stat("c1", store::counters::kCancelled) == 0);
  CHECK(f.in_work_list("c1"));
  for (const auto& key : testing::existing_keys(f.redis, f.keys.campaign_message_keys("c1"))) {
    CHECK(f.redis.command({"PTTL", key}).as_integer() == -1);
  }
}

TEST_CASE("a cancel never counts more messages than the counters say are left") {
  // Counters ahead of the outcome hash (a record written by hand, or by an
  // older version): remaining must not go below zero.
  Fixture f;
  f.create("c1", store::meta::kSending);
  (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "5", "sent", "2"});
  const auto r = store::control_campaign(f.redis, f.keys, "c1", ControlAction::Cancel, "Ana Ruiz");
  REQUIRE(r.outcome == ControlOutcome::Done);
  CHECK(r.cancelled == 3);
}

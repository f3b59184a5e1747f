// The scripts behind the send path's promises, against a real redis-server:
// send_begin.lua (markers and doubt), record_outcome.lua (once, idempotent,
// nothing written back for an erased number), subscriber_gate.lua, each also
// for a batch of messages in one call, claim_hold.lua (renew only
// what is still ours, hand back), consumer_prune.lua and dead_letter.lua.
#include <catch2/catch.hpp>

#include <set>

#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "store/scripts.h"
#include "store/send_marker.h"
#include "support/redis_server.h"

namespace broadcaster::store {
namespace {

constexpr const char* kId = "c1";
constexpr const char* kPhone = "+15595550142";
const std::string kGroup(kConsumerGroup);

struct Fixture {
  testing::RedisServer server;
  RedisClient redis{server.endpoint()};
  Keys keys{"t:"};

  Fixture() {
    redis.command({"SADD", keys.campaign_enqueued(kId), kPhone});
    redis.command({"XGROUP", "CREATE", keys.campaign_queue(kId), kGroup, "0", "MKSTREAM"});
  }
  std::vector<std::string> begin(long long now, const std::string& token, const std::string& settled = "") {
    const auto call = send_begin_call(keys, kId, kPhone, now, token, settled);
    std::vector<std::string> out;
    const RedisValue reply = redis.eval(scripts().send_begin, call.first, call.second);
    for (const auto& v : reply.as_array().at(0).as_array()) {
      out.push_back(v.as_string());
    }
    return out;
  }
  long long record(const std::string& entry, const std::string& outcome) {
    const auto call = record_outcome_call(keys, kId, entry, kPhone, outcome, "en", {std::string(counters::kSent)});
    return redis.eval(scripts().record_outcome, call.first, call.second).as_array().at(0).as_integer();
  }
  std::string add_entry() {
    return redis.command({"XADD", keys.campaign_queue(kId), "*", "to", kPhone, "campaign", kId, "body", "x"})
        .as_string();
  }
  std::string read_as(const std::string& consumer) {
    const auto r = redis.command({"XREADGROUP", "GROUP", kGroup, consumer, "COUNT", "1", "STREAMS",
                                  keys.campaign_queue(kId), ">"});
    return r.as_array().at(0).as_array().at(1).as_array().at(0).as_array().at(0).as_string();
  }
  long long stat(std::string_view field) {
    const auto v = redis.command({"HGET", keys.campaign_stats(kId), std::string(field)});
    return v.is_nil() ? 0 : std::stoll(v.as_string());
  }
};

}  // namespace

TEST_CASE("send_begin marks a send, and a marker left behind makes the next one in doubt", "[send-scripts]") {
  Fixture f;
  CHECK(f.begin(1000, "a#1") == std::vector<std::string>{"new"});
  const auto marker = parse_send_marker(f.redis.command({"HGET", f.keys.campaign_sending(kId), kPhone}).as_string());
  REQUIRE(marker);
  CHECK(marker->first_ms == 1000);
  CHECK(marker->last_ms == 1000);
  CHECK(marker->token == "a#1");

  SECTION("whoever comes next without knowing that marker is told it is in doubt") {
    const auto r = f.begin(2000, "b#1");
    REQUIRE(r.size() == 2);
    CHECK(r[0] == "doubt");
    CHECK(r[1] == "1000|1000|a#1");
    CHECK(f.stat(counters::kInDoubt) == 1);
  }
  SECTION("the same process after a definite answer (or a lookup that found nothing) goes on") {
    CHECK(f.begin(3000, "a#2", "a#1") == std::vector<std::string>{"new"});
    const auto next = parse_send_marker(f.redis.command({"HGET", f.keys.campaign_sending(kId), kPhone}).as_string());
    REQUIRE(next);
    CHECK(next->first_ms == 1000);  // the lookup window still reaches back to the first attempt
    CHECK(next->last_ms == 3000);
    CHECK(next->token == "a#2");
    CHECK(f.stat(counters::kInDoubt) == 0);
  }
  SECTION("once an outcome is stored it is done, and the marker is gone") {
    CHECK(f.record(f.add_entry(), "sent:SM1") == 1);
    CHECK(f.redis.command({"HEXISTS", f.keys.campaign_sending(kId), kPhone}).as_integer() == 0);
    CHECK(f.begin(4000, "b#1") == std::vector<std::string>{"done"});
  }
  SECTION("a number erased from the campaign is not to be sent") {
    f.redis.command({"SREM", f.keys.campaign_enqueued(kId), kPhone});
    CHECK(f.begin(5000, "b#1") == std::vector<std::string>{"erased"});
  }
}

TEST_CASE("record_outcome counts once, may be replayed, and writes nothing back for an erased number",
          "[send-scripts]") {
  Fixture f;
  const std::string entry = f.add_entry();
  (void)f.read_as("a");
  CHECK(f.record(entry, "sent:SM1") == 1);
  CHECK(f.record(entry, "sent:SM1") == 0);  // a replay after an outage
  CHECK(f.stat(counters::kSent) == 1);
  CHECK(f.stat(counters::by_language("en", counters::kSent)) == 1);  // with the total, once
  // The outcome, the variant's language, and when (Unix ms, Redis's clock).
  CHECK_THAT(f.redis.command({"HGET", f.keys.campaign_outcome(kId), kPhone}).as_string(),
             Catch::Matches("sent:SM1\\|en\\|[0-9]{13}"));
  CHECK(f.redis.command({"XPENDING", f.keys.campaign_queue(kId), kGroup}).as_array().at(0).as_integer() == 0);

  f.redis.command({"HDEL", f.keys.campaign_outcome(kId), kPhone});
  f.redis.command({"SREM", f.keys.campaign_enqueued(kId), kPhone});
  CHECK(f.record(entry, "sent:SM2") == -1);
  CHECK(f.redis.command({"HEXISTS", f.keys.campaign_outcome(kId), kPhone}).as_integer() == 0);
}

TEST_CASE("one send_begin call for a batch gives each message the answer it would get alone", "[send-scripts]") {
  Fixture f;
  const std::string done = "+15595550143", erased = "+15595550144", doubtful = "+15595550145";
  f.redis.command({"SADD", f.keys.campaign_enqueued(kId), done, doubtful});
  f.redis.command({"HSET", f.keys.campaign_outcome(kId), done, "sent:SM9|en|1"});
  f.redis.command({"HSET", f.keys.campaign_sending(kId), doubtful, "500|500|gone#1"});
  const std::vector<SendStart> starts{{kPhone, "a#1", ""}, {done, "a#2", ""}, {erased, "a#3", ""},
                                      {doubtful, "a#4", ""}};
  const auto call = send_begin_call(f.keys, kId, 1000, starts);
  const auto reply = f.redis.eval(scripts().send_begin, call.first, call.second).as_array();
  REQUIRE(reply.size() == 4);
  CHECK(reply[0].as_array().at(0).as_string() == "new");
  CHECK(reply[1].as_array().at(0).as_string() == "done");
  CHECK(reply[2].as_array().at(0).as_string() == "erased");
  CHECK(reply[3].as_array().at(0).as_string() == "doubt");
  CHECK(reply[3].as_array().at(1).as_string() == "500|500|gone#1");
  // Only the new one got a marker; the doubtful one keeps the old marker.
  CHECK(f.redis.command({"HGET", f.keys.campaign_sending(kId), kPhone}).as_string() == "1000|1000|a#1");
  CHECK(f.redis.command({"HGET", f.keys.campaign_sending(kId), doubtful}).as_string() == "500|500|gone#1");
  CHECK(f.redis.command({"HEXISTS", f.keys.campaign_sending(kId), done}).as_integer() == 0);
  CHECK(f.stat(counters::kInDoubt) == 1);

  SECTION("a paused campaign starts none of them") {
    f.redis.command({"HSET", f.keys.campaign_meta(kId), "status", "paused"});
    f.redis.command({"HDEL", f.keys.campaign_sending(kId), kPhone});
    const auto again = f.redis.eval(scripts().send_begin, call.first, call.second).as_array();
    CHECK(again[0].as_array().at(0).as_string() == "paused");
    CHECK(again[3].as_array().at(0).as_string() == "paused");
    CHECK(f.redis.command({"HLEN", f.keys.campaign_sending(kId)}).as_integer() == 1);
  }
}

TEST_CASE("one record_outcome call for a batch records each once and acknowledges every entry",
          "[send-scripts]") {
  Fixture f;
  const std::string other = "+15595550146";
  f.redis.command({"SADD", f.keys.campaign_enqueued(kId), other});
  const std::string first = f.add_entry();
  const std::string second = f.add_entry();
  (void)f.read_as("a");
  (void)f.read_as("a");
  (void)f.record(first, "sent:SM1");  // recorded before, e.g. by a peer
  const std::vector<OutcomeRecord> records{
      {first, kPhone, "sent:SM2", "en", {std::string(counters::kSent)}},
      {second, other, "failed:30007", "es", {std::string(counters::kFailed), counters::failed_with("30007")}}};
  const auto call = record_outcome_call(f.keys, kId, records);
  const auto reply = f.redis.eval(scripts().record_outcome, call.first, call.second).as_array();
  REQUIRE(reply.size() == 2);
  CHECK(reply[0].as_integer() == 0);
  CHECK(reply[1].as_integer() == 1);
  CHECK(f.stat(counters::kSent) == 1);
  CHECK(f.stat(counters::kFailed) == 1);
  CHECK(f.stat(counters::failed_with("30007")) == 1);
  CHECK(f.stat(counters::by_language("es", counters::kFailed)) == 1);
  CHECK(f.stat(counters::by_language("en", counters::kFailed)) == 0);
  CHECK_THAT(f.redis.command({"HGET", f.keys.campaign_outcome(kId), kPhone}).as_string(), Catch::StartsWith("sent:SM1|"));
  CHECK(f.redis.command({"XPENDING", f.keys.campaign_queue(kId), kGroup}).as_array().at(0).as_integer() == 0);
}

TEST_CASE("one subscriber_gate call for a batch checks each subscriber and takes cap places", "[send-scripts]") {
  Fixture f;
  const std::string active = "+15595550147", stopped = "+15595550148", full = "+15595550149";
  f.redis.command({"SADD", f.keys.active(), active, full});
  f.redis.command({"ZADD", f.keys.recent_messages(full), "900", "other-campaign"});
  const auto gate = [&](const std::vector<std::string>& phones, const std::string& test) {
    std::vector<std::string> keys{test == "active" ? f.keys.active() : f.keys.stopped()};
    std::vector<std::string> args{kId, "1000", "1", "500", test};
    for (const auto& p : phones) {
      keys.push_back(f.keys.recent_messages(p));
      args.push_back(p);
    }
    std::vector<std::string> out;
    const RedisValue reply = f.redis.eval(scripts().subscriber_gate, keys, args);
    for (const auto& v : reply.as_array()) {
      out.push_back(v.as_array().at(0).as_string());
    }
    return out;
  };
  CHECK(gate({active, stopped, full, active}, "active") ==
        std::vector<std::string>{"ok", "inactive", "capped", "ok"});  // the second time: its own place
  CHECK(f.redis.command({"ZSCORE", f.keys.recent_messages(active), kId}).as_string() == "1000");
  CHECK(f.redis.command({"ZCARD", f.keys.recent_messages(full)}).as_integer() == 1);
  f.redis.command({"SADD", f.keys.stopped(), stopped});
  CHECK(gate({stopped, full}, "not_stopped") == std::vector<std::string>{"inactive", "capped"});
  CHECK(gate({stopped}, "to_stopped") == std::vector<std::string>{"ok"});
}

TEST_CASE("claim_hold renews only entries still ours, and hands entries back", "[send-scripts]") {
  Fixture f;
  const std::string mine = f.add_entry();
  const std::string theirs = f.add_entry();
  REQUIRE(f.read_as("a") == mine);
  REQUIRE(f.read_as("a") == theirs);
  // A peer took `theirs` over.
  f.redis.command({"XCLAIM", f.keys.campaign_queue(kId), kGroup, "b", "0", theirs, "JUSTID"});

  const auto lost = f.redis.eval(scripts().claim_hold, {f.keys.campaign_queue(kId)}, {kGroup, "a", "0", mine, theirs});
  REQUIRE(lost.as_array().size() == 1);
  CHECK(lost.as_array()[0].as_string() == theirs);
  auto owner_and_idle = [&](const std::string& id) {
    const auto p = f.redis.command({"XPENDING", f.keys.campaign_queue(kId), kGroup, id, id, "1"});
    const auto& e = p.as_array().at(0).as_array();
    return std::make_pair(e.at(1).as_string(), e.at(2).as_integer());
  };
  CHECK(owner_and_idle(theirs).first == "b");  // still the peer's

  // Handing back: a peer's XAUTOCLAIM with a long min-idle takes it at once.
  (void)f.redis.eval(scripts().claim_hold, {f.keys.campaign_queue(kId)}, {kGroup, "a", "1000000000000", mine});
  CHECK(owner_and_idle(mine).second >= 1000000000000LL);
  const auto claimed = f.redis.command(
      {"XAUTOCLAIM", f.keys.campaign_queue(kId), kGroup, "c", "60000", "0-0", "COUNT", "10", "JUSTID"});
  REQUIRE(claimed.as_array().at(1).as_array().size() == 1);
  CHECK(claimed.as_array().at(1).as_array()[0].as_string() == mine);
}

TEST_CASE("consumer_prune removes consumers that hold nothing, never one that holds entries", "[send-scripts]") {
  Fixture f;
  (void)f.add_entry();
  (void)f.read_as("busy");  // holds one entry
  f.redis.command({"XGROUP", "CREATECONSUMER", f.keys.campaign_queue(kId), kGroup, "idle"});
  f.redis.command({"XGROUP", "CREATECONSUMER", f.keys.campaign_queue(kId), kGroup, "me"});
  auto names = [&] {
    std::set<std::string> out;
    const RedisValue reply = f.redis.command({"XINFO", "CONSUMERS", f.keys.campaign_queue(kId), kGroup});
    for (const auto& c : reply.as_array()) {
      const auto& fields = c.as_array();  // name, pending, idle... (values of mixed types)
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].as_string() == "name") out.insert(fields[i + 1].as_string());
      }
    }
    return out;
  };
  // A long minimum idle time: only the named consumer (a process leaving) goes.
  CHECK(f.redis.eval(scripts().consumer_prune, {f.keys.campaign_queue(kId)}, {kGroup, "3600000", "me"})
            .as_integer() == 1);
  CHECK(names() == std::set<std::string>{"busy", "idle"});
  // Minimum idle 0: every consumer that holds nothing goes; the busy one stays.
  CHECK(f.redis.eval(scripts().consumer_prune, {f.keys.campaign_queue(kId)}, {kGroup, "0", ""}).as_integer() == 1);
  CHECK(names() == std::set<std::string>{"busy"});
  // A stream that does not exist yet is not an error.
  CHECK(f.redis.eval(scripts().consumer_prune, {f.keys.campaign_queue("none")}, {kGroup, "0", ""}).as_integer() == 0);
}

TEST_CASE("dead_letter sets an unreadable entry aside once, without its fields", "[send-scripts]") {
  Fixture f;
  const std::string entry =
      f.redis.command({"XADD", f.keys.campaign_queue(kId), "*", "campaign", kId, "body", "no recipient"}).as_string();
  (void)f.read_as("a");
  const std::vector<std::string> keys{f.keys.campaign_queue(kId), f.keys.campaign_dead(kId), f.keys.campaign_stats(kId)};
  CHECK(f.redis.eval(scripts().dead_letter, keys, {kGroup, entry, "no 'to' field", "2026-12-01T10:00:00Z"})
            .as_integer() == 1);
  CHECK(f.redis.eval(scripts().dead_letter, keys, {kGroup, entry, "no 'to' field", "2026-12-01T10:00:00Z"})
            .as_integer() == 0);
  CHECK(f.stat(counters::kDeadLetter) == 1);
  const auto dead = f.redis.command({"XRANGE", f.keys.campaign_dead(kId), "-", "+"}).as_array();
  REQUIRE(dead.size() == 1);
  const auto fields = dead[0].as_array().at(1).as_map();
  CHECK(fields.at("entry") == entry);
  CHECK(fields.at("reason") == "no 'to' field");
  CHECK(fields.count("body") == 0);
}

TEST_CASE("send markers give the lookup's window and due time", "[send-scripts]") {
  const auto m = parse_send_marker("1000|5000|host:1#7");
  REQUIRE(m);
  CHECK(m->token == "host:1#7");
  CHECK(lookup_due_ms(*m, std::chrono::milliseconds(15000)) == 20000);
  CHECK(lookup_since(*m, std::chrono::milliseconds(400)) ==
        std::chrono::system_clock::time_point(std::chrono::milliseconds(600)));
  for (const char* bad : {"", "1000", "1000|", "x|1|t", "1|y|t", "-1|2|t"}) {
    DYNAMIC_SECTION(bad) { CHECK_FALSE(parse_send_marker(bad)); }
  }
}

}  // namespace broadcaster::store

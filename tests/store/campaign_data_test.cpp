// A campaign's per-message data on a real redis-server: it expires after the
// retention once the campaign is done (meta and stats stay), a re-opened
// campaign keeps it again, a resubmission after the purge still finishes,
// and erasing a number leaves it nowhere while the campaign still finishes.
#include "store/campaign_data.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "store/redis_client.h"
#include "store/scripts.h"
#include "support/redis_contents.h"
#include "support/redis_server.h"
#include "util/errors.h"

using namespace broadcaster;

namespace {

constexpr long long kDay = 86'400'000;  // ms

struct Fixture {
  // Uncompressed, so places_holding sees the bytes a snapshot would write.
  testing::RedisServer server{testing::uncompressed_dumps()};
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};

  // What campaign/submit.cpp does for campaign `id`: meta, group, index.
  void create(const std::string& id, long long retention_ms) {
    (void)redis.command(
        {"XGROUP", "CREATE", keys.campaign_queue(id), std::string(store::kConsumerGroup), "0", "MKSTREAM"});
    (void)redis.command({"HSET", keys.campaign_meta(id), "id", id, "retention_ms", std::to_string(retention_ms)});
    (void)redis.command({"HSETNX", keys.campaign_meta(id), "status", "sending"});
    (void)redis.command({"ZADD", keys.campaign_index(), "NX", "1", id});
  }
  long long enqueue(const std::string& id, const std::vector<std::string>& numbers) {
    store::EnqueueCall call(keys, id);
    for (const auto& n : numbers) call.add({n, "es", "Taller el sábado"});
    const auto [script_keys, args] = call.take();
    return redis.eval(store::scripts().enqueue, script_keys, args).as_integer();
  }
  // A sender reads up to `count` messages: entry id -> number.
  std::map<std::string, std::string> read(const std::string& id, int count) {
    std::map<std::string, std::string> out;
    const auto r = redis.command({"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), "test", "COUNT",
                                  std::to_string(count), "STREAMS", keys.campaign_queue(id), ">"});
    if (r.is_nil()) return out;
    for (const auto& entry : r.as_array().at(0).as_array().at(1).as_array()) {
      out[entry.as_array().at(0).as_string()] = entry.as_array().at(1).as_map().at("to");
    }
    return out;
  }
  // The sender's record_outcome for one read message, as "sent".
  void sent(const std::string& id, const std::string& entry_id, const std::string& number) {
    const auto call =
        store::record_outcome_call(keys, id, entry_id, number, "sent:SM" + number.substr(8), "en", {"sent"});
    (void)redis.eval(store::scripts().record_outcome, call.first, call.second);
  }
  void send_all(const std::string& id) {
    for (const auto& [entry_id, number] : read(id, 1000)) sent(id, entry_id, number);
  }
  bool finish(const std::string& id) {
    const auto call = store::campaign_finish_call(keys, id);
    return redis.eval(store::scripts().campaign_finish, call.first, call.second).as_integer() == 1;
  }
  long long pttl(const std::string& key) { return redis.command({"PTTL", key}).as_integer(); }
  // The campaign's per-message keys that exist now (the send markers' hash
  // is empty, hence absent, once every message has its outcome); the queue,
  // enqueued set and outcome hash always do here.
  std::vector<std::string> stored_message_keys(const std::string& id) {
    auto out = testing::existing_keys(redis, keys.campaign_message_keys(id));
    CHECK(out.size() >= 3);
    return out;
  }
  std::string meta(const std::string& id, const std::string& field) {
    const auto v = redis.command({"HGET", keys.campaign_meta(id), field});
    return v.is_nil() ? std::string() : v.as_string();
  }
  long long stat(const std::string& id, const std::string& field) {
    const auto v = redis.command({"HGET", keys.campaign_stats(id), field});
    return v.is_nil() ? 0 : std::stoll(v.as_string());
  }
  long long remaining(const std::string& id) {
    return stat(id, "queued") - stat(id, "sent") - stat(id, "failed") - stat(id, "skipped_stopped") -
           stat(id, "skipped_erased");
  }
  long long server_ms() {
    const auto t = redis.command({"TIME"}).as_array();
    return std::stoll(t.at(0).as_string()) * 1000 + std::stoll(t.at(1).as_string()) / 1000;
  }
};

}  // namespace

TEST_CASE("a finished campaign's per-message keys expire after its retention; meta and stats stay") {
  Fixture f;
  f.create("c1", 7 * kDay);
  REQUIRE(f.enqueue("c1", {"+15595550101", "+15595550102"}) == 2);
  auto read = f.read("c1", 1);
  f.sent("c1", read.begin()->first, read.begin()->second);
  CHECK_FALSE(f.finish("c1"));  // one message left
  for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) == -1);

  f.send_all("c1");
  const long long before = f.server_ms();
  REQUIRE(f.finish("c1"));
  const long long after = f.server_ms();
  CHECK(f.meta("c1", "status") == "done");
  const long long purge_at = std::stoll(f.meta("c1", "purge_at_ms"));
  CHECK(purge_at >= before + 7 * kDay);
  CHECK(purge_at <= after + 7 * kDay);
  for (const auto& key : f.stored_message_keys("c1")) {
    DYNAMIC_SECTION(key) {
      const long long ttl = f.pttl(key);
      CHECK(ttl > 7 * kDay - 60'000);
      CHECK(ttl <= 7 * kDay);
      // All of them go at the same instant.
      CHECK(f.redis.command({"PEXPIRETIME", key}).as_integer() == purge_at);
    }
  }
  CHECK(f.pttl(f.keys.campaign_meta("c1")) == -1);
  CHECK(f.pttl(f.keys.campaign_stats("c1")) == -1);
  // Finishing again changes nothing.
  REQUIRE(f.finish("c1"));
  CHECK(std::stoll(f.meta("c1", "purge_at_ms")) == purge_at);
}

TEST_CASE("one enqueue call queues each new number once, however many it carries") {
  Fixture f;
  f.create("c1", 7 * kDay);
  REQUIRE(f.enqueue("c1", {"+15595550101"}) == 1);
  // 1,200 numbers (more than the script asks about at a time), one queued
  // before, one repeated at each end of the call and across its slices.
  std::vector<std::string> numbers{"+15595550101", "+15595550102", "+15595550102"};
  for (int i = 0; i < 1195; ++i) numbers.push_back("+1559" + std::to_string(2000000 + i));
  numbers.push_back("+15592000000");
  numbers.push_back("+15595550102");
  REQUIRE(numbers.size() == 1200);
  CHECK(f.enqueue("c1", numbers) == 1196);
  CHECK(f.redis.command({"XLEN", f.keys.campaign_queue("c1")}).as_integer() == 1197);
  CHECK(f.redis.command({"SCARD", f.keys.campaign_enqueued("c1")}).as_integer() == 1197);
  CHECK(f.stat("c1", "queued") == 1197);
  std::set<std::string> read;
  for (const auto& [entry, number] : f.read("c1", 2000)) CHECK(read.insert(number).second);
  CHECK(read.size() == 1197);
}

TEST_CASE("a campaign submitted before retention was configured is kept the default 30 days") {
  Fixture f;
  f.create("old", kDay);
  (void)f.redis.command({"HDEL", f.keys.campaign_meta("old"), "retention_ms"});
  REQUIRE(f.enqueue("old", {"+15595550101"}) == 1);
  f.send_all("old");
  REQUIRE(f.finish("old"));
  CHECK(f.pttl(f.keys.campaign_outcome("old")) > 29 * kDay);
}

TEST_CASE("campaign_finish refuses a call without the per-message keys") {
  Fixture f;
  f.create("c1", kDay);
  // The sender's call before retention existed: meta, outcome, stats.
  CHECK_THROWS_WITH(
      f.redis.eval(store::scripts().campaign_finish,
                   {f.keys.campaign_meta("c1"), f.keys.campaign_outcome("c1"), f.keys.campaign_stats("c1")},
                   {"2026-11-23T17:04:05Z"}),
      Catch::Contains("campaign_finish_call"));
  CHECK(f.meta("c1", "status") == "sending");
}

TEST_CASE("new messages for a done campaign re-open it and cancel the expiry") {
  Fixture f;
  f.create("c1", kDay);
  REQUIRE(f.enqueue("c1", {"+15595550101"}) == 1);
  f.send_all("c1");
  REQUIRE(f.finish("c1"));
  REQUIRE(f.pttl(f.keys.campaign_queue("c1")) > 0);

  SECTION("a number already queued changes nothing") {
    CHECK(f.enqueue("c1", {"+15595550101"}) == 0);
    CHECK(f.meta("c1", "status") == "done");
    for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) > 0);
  }
  SECTION("a new number re-opens it until it is done again") {
    CHECK(f.enqueue("c1", {"+15595550101", "+15595550102"}) == 1);
    CHECK(f.meta("c1", "status") == "sending");
    CHECK(f.meta("c1", "purge_at_ms").empty());
    for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) == -1);
    CHECK_FALSE(f.finish("c1"));
    f.send_all("c1");
    REQUIRE(f.finish("c1"));
    for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) > 0);
    CHECK(f.stat("c1", "sent") == 2);
  }
}

TEST_CASE("a submission after the purge queues everyone again and the campaign still finishes") {
  Fixture f;
  f.create("c1", kDay);
  REQUIRE(f.enqueue("c1", {"+15595550101", "+15595550102", "+15595550103"}) == 3);
  // Two are sent; the sender sets the third aside as unreadable (dead_letter).
  const auto first = f.read("c1", 3);
  for (const auto& [entry_id, number] : first) {
    if (number != "+15595550103") f.sent("c1", entry_id, number);
  }
  (void)f.redis.command({"HINCRBY", f.keys.campaign_stats("c1"), "dead_letter", "1"});
  REQUIRE(f.finish("c1"));
  // What expiry does when purge_at_ms passes.
  for (const auto& key : f.stored_message_keys("c1")) (void)f.redis.command({"DEL", key});
  (void)f.redis.command(
      {"XGROUP", "CREATE", f.keys.campaign_queue("c1"), std::string(store::kConsumerGroup), "0", "MKSTREAM"});

  CHECK(f.enqueue("c1", {"+15595550101", "+15595550102", "+15595550103"}) == 3);
  CHECK(f.meta("c1", "status") == "sending");
  CHECK(f.stat("c1", "queued") == 6);
  CHECK(f.stat("c1", "purged") == 2);  // the dead letter is settled by its own counter
  auto second = f.read("c1", 3);
  REQUIRE(second.size() == 3);
  f.sent("c1", second.begin()->first, second.begin()->second);
  second.erase(second.begin());
  CHECK_FALSE(f.finish("c1"));
  f.sent("c1", second.begin()->first, second.begin()->second);
  CHECK_FALSE(f.finish("c1"));  // waits for the last new message
  f.sent("c1", second.rbegin()->first, second.rbegin()->second);
  CHECK(f.finish("c1"));
  CHECK(f.stat("c1", "sent") == 5);  // the first two got it twice
}

TEST_CASE("erasing a number removes it from every campaign and each still finishes") {
  Fixture f;
  const std::string gone = "+15595550101";
  f.create("c1", kDay);
  f.create("c2", kDay);
  f.create("c3", kDay);
  REQUIRE(f.enqueue("c1", {gone, "+15595550102", "+15595550103"}) == 3);
  REQUIRE(f.enqueue("c2", {"+15595550104", gone}) == 2);
  REQUIRE(f.enqueue("c3", {"+15595550105"}) == 1);  // never held the number
  // c1: the number's message was sent. c2: a sender holds it, unsent.
  f.send_all("c1");
  REQUIRE(f.finish("c1"));
  const auto held = f.read("c2", 2);
  REQUIRE(held.size() == 2);
  std::string held_id;
  for (const auto& [entry_id, number] : held) {
    if (number == gone) held_id = entry_id;
  }

  const auto erased = store::forget_in_campaigns(f.redis, f.keys, gone);
  CHECK(erased.campaigns == 2);
  CHECK(erased.queue_entries == 2);
  CHECK(testing::places_holding(f.redis, gone.substr(2)).empty());
  // The others' data is untouched.
  const auto kept = testing::places_holding(f.redis, "+15595550102");
  for (const auto& key : f.stored_message_keys("c1")) {
    if (key == f.keys.campaign_bodies("c1")) continue;  // texts only, no number
    CHECK(std::any_of(kept.begin(), kept.end(), [&](const std::string& place) { return place.rfind(key, 0) == 0; }));
  }

  // c1 was sent to: it stays counted as sent, and erased.
  CHECK(f.stat("c1", "sent") == 3);
  CHECK(f.stat("c1", "erased") == 1);
  CHECK(f.stat("c1", "skipped_erased") == 0);
  CHECK(f.remaining("c1") == 0);
  CHECK(f.finish("c1"));
  // c2's message will never be sent: skipped, and c2 finishes without it.
  CHECK(f.stat("c2", "erased") == 1);
  CHECK(f.stat("c2", "skipped_erased") == 1);
  CHECK(f.remaining("c2") == 1);
  // The erased entry left the pending list with the queue's rewrite; the
  // other held one is still pending.
  const auto pending =
      f.redis.command({"XPENDING", f.keys.campaign_queue("c2"), std::string(store::kConsumerGroup), "-", "+", "10"});
  REQUIRE(pending.as_array().size() == 1);
  CHECK(pending.as_array().at(0).as_array().at(0).as_string() != held_id);
  for (const auto& [entry_id, number] : held) {
    if (number != gone) f.sent("c2", entry_id, number);
  }
  CHECK(f.remaining("c2") == 0);
  CHECK(f.finish("c2"));
  CHECK(f.stat("c3", "erased") == 0);

  // Erasing again finds nothing.
  const auto again = store::forget_in_campaigns(f.redis, f.keys, gone);
  CHECK(again.campaigns == 0);
  CHECK(again.queue_entries == 0);
  CHECK(f.stat("c1", "erased") == 1);
}

TEST_CASE("an outcome recorded after the number was erased goes with the next erasure") {
  Fixture f;
  const std::string gone = "+15595550101";
  f.create("c1", kDay);
  REQUIRE(f.enqueue("c1", {gone}) == 1);
  const auto held = f.read("c1", 1);
  REQUIRE(held.size() == 1);
  (void)store::forget_in_campaigns(f.redis, f.keys, gone);
  // The sender was sending it meanwhile and records what happened.
  f.sent("c1", held.begin()->first, gone);
  (void)store::forget_in_campaigns(f.redis, f.keys, gone);
  CHECK(testing::places_holding(f.redis, gone.substr(2)).empty());
  CHECK(f.remaining("c1") == 0);
  CHECK(f.finish("c1"));
}

TEST_CASE("campaign_forget clears a later per-message key keyed by number or entry id") {
  Fixture f;
  const std::string gone = "+15595550101";
  f.create("c1", kDay);
  REQUIRE(f.enqueue("c1", {gone, "+15595550102"}) == 2);
  const auto held = f.read("c1", 2);
  const std::string extra = "t:{c:c1}:extra";
  for (const auto& [entry_id, number] : held) {
    (void)f.redis.command({"HSET", extra, entry_id, number + " since 1700000000000"});
  }
  (void)f.redis.command({"HSET", extra, gone, "1"});
  auto keys = store::campaign_script_keys(f.keys, "c1");
  keys.push_back(extra);
  keys.push_back(f.keys.campaign_scratch("c1"));
  const auto r = f.redis.eval(store::scripts().campaign_forget, keys, {gone});
  CHECK(r.as_array().at(0).as_integer() == 1);
  CHECK(testing::places_holding(f.redis, gone.substr(2)).empty());
  CHECK(f.redis.command({"HLEN", extra}).as_integer() == 1);  // the other number's entry stays
}

TEST_CASE("the queue is rewritten without the erased entry's bytes; the senders' state is kept") {
  Fixture f;
  const std::string gone = "+15595550101";
  // Without the rewrite, XDEL leaves the entry's bytes behind.
  (void)f.redis.command({"XADD", "t:{c:probe}:queue", "*", "to", gone});
  (void)f.redis.command({"XADD", "t:{c:probe}:queue", "*", "to", "+15595550106"});
  const auto probe = f.redis.command({"XRANGE", "t:{c:probe}:queue", "-", "+", "COUNT", "1"});
  (void)f.redis.command({"XDEL", "t:{c:probe}:queue", probe.as_array().at(0).as_array().at(0).as_string()});
  CHECK(testing::places_holding(f.redis, gone.substr(2)) == std::vector<std::string>{"t:{c:probe}:queue serialized"});
  (void)f.redis.command({"DEL", "t:{c:probe}:queue"});
  f.create("c1", kDay);
  REQUIRE(f.enqueue("c1", {"+15595550102", gone, "+15595550103", "+15595550104", "+15595550105"}) == 5);
  const std::string queue = f.keys.campaign_queue("c1");

  // Sender a holds the first three (one sent), sender b the fourth; the
  // fifth was never read.
  const auto a = f.read("c1", 3);
  f.sent("c1", a.begin()->first, a.begin()->second);
  (void)f.redis.command(
      {"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), "b", "COUNT", "1", "STREAMS", queue, ">"});
  (void)f.redis.command({"PEXPIRE", queue, std::to_string(kDay)});
  const auto expires_at = f.redis.command({"PEXPIRETIME", queue}).as_integer();
  const auto pending_before = f.redis.command({"XPENDING", queue, std::string(store::kConsumerGroup), "-", "+", "10"});
  const auto group_before = f.redis.command({"XINFO", "GROUPS", queue}).as_array().at(0).as_array();
  const auto last_id_before = f.redis.command({"XINFO", "STREAM", queue}).as_array();

  const auto erased = store::forget_in_campaigns(f.redis, f.keys, gone);
  CHECK(erased.queue_entries == 1);
  CHECK(testing::places_holding(f.redis, gone.substr(2)).empty());
  CHECK(f.redis.command({"EXISTS", f.keys.campaign_scratch("c1")}).as_integer() == 0);
  CHECK(f.redis.command({"XLEN", queue}).as_integer() == 4);
  CHECK(f.redis.command({"PEXPIRETIME", queue}).as_integer() == expires_at);

  // The pending list lost only the erased entry: same ids, consumers, counts.
  const auto pending_after = f.redis.command({"XPENDING", queue, std::string(store::kConsumerGroup), "-", "+", "10"});
  std::vector<std::string> before, after;
  for (const auto& p : pending_before.as_array()) {
    const auto& e = p.as_array();
    const auto to = f.redis.command({"XRANGE", queue, e.at(0).as_string(), e.at(0).as_string()});
    if (to.as_array().empty()) continue;  // the erased one
    before.push_back(e.at(0).as_string() + " " + e.at(1).as_string() + " " + std::to_string(e.at(3).as_integer()));
  }
  for (const auto& p : pending_after.as_array()) {
    const auto& e = p.as_array();
    after.push_back(e.at(0).as_string() + " " + e.at(1).as_string() + " " + std::to_string(e.at(3).as_integer()));
  }
  CHECK(before.size() == 2);  // a's unsent one and b's
  CHECK(after == before);
  const auto group_after = f.redis.command({"XINFO", "GROUPS", queue}).as_array().at(0).as_array();
  CHECK(group_after.at(7).as_string() == group_before.at(7).as_string());  // last-delivered-id
  CHECK(f.redis.command({"XINFO", "CONSUMERS", queue, std::string(store::kConsumerGroup)}).as_array().size() == 2);
  // Only the never-read message is delivered next, and new ids keep growing.
  const auto next = f.read("c1", 10);
  REQUIRE(next.size() == 1);
  CHECK(next.begin()->second == "+15595550105");
  const auto fresh = f.redis.command({"XADD", queue, "*", "to", "+15595550107"}).as_string();
  CHECK(fresh > last_id_before.at(7).as_string());
}

// Campaign counters as `stats` and `campaign status` read them, including
// erasures on request and when a done campaign's per-message data goes.
#include "stats/campaign_stats.h"

#include <catch2/catch.hpp>

#include "store/redis_client.h"
#include "store/scripts.h"
#include "store/serve_presence.h"
#include "support/redis_server.h"

using namespace broadcaster;

namespace {

struct Fixture {
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};
};

}  // namespace

TEST_CASE("a done campaign shows when its data is purged and what was erased") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "done", "done_at",
                         "2026-11-23T17:04:05Z", "purge_at_ms", "1798045445000"});
  (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "4", "sent", "2", "skipped_stopped", "1",
                         "erased", "2", "skipped_erased", "1"});
  const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
  CHECK(s.erased == 2);
  CHECK(s.skipped_erased == 1);
  CHECK(s.remaining() == 0);  // the erased unsent message is not waiting
  CHECK(s.purge_at_ms == 1798045445000);
  const auto j = stats::stats_to_json(s);
  CHECK(j.at("purge_at") == "2026-12-23T17:04:05Z");
  CHECK(j.at("erased") == 2);
  CHECK(j.at("skipped_erased") == 1);
  CHECK(j.at("remaining") == 0);
}

TEST_CASE("a campaign still sending has no purge time") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "sending"});
  (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "3", "sent", "1"});
  const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
  CHECK(s.purge_at_ms == 0);
  CHECK(stats::stats_to_json(s).at("purge_at").is_null());
  CHECK(s.remaining() == 2);
}

TEST_CASE("a campaign with work left waits for a sender until a serve process says it is alive") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "sending"});
  (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "3", "sent", "1"});
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").status == "waiting");
  auto call = store::serve_heartbeat_call(f.keys, "host-a:41");
  (void)f.redis.eval(store::scripts().serve_heartbeat, call.first, call.second);
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").status == "sending");
  const auto live = store::live_serve_processes(f.redis, f.keys);
  REQUIRE(live.size() == 1);
  CHECK(live[0].name == "host-a:41");
  // A process seen longer ago than kAliveWithin is not running.
  (void)f.redis.command({"ZADD", f.keys.serve_processes(), "1000", "host-a:41"});
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").status == "waiting");
  // Leaving removes it at once.
  (void)f.redis.eval(store::scripts().serve_heartbeat, call.first, call.second);
  auto leave = store::serve_heartbeat_call(f.keys, "host-a:41", true);
  (void)f.redis.eval(store::scripts().serve_heartbeat, leave.first, leave.second);
  CHECK(store::live_serve_processes(f.redis, f.keys).empty());
}

TEST_CASE("paused and cancelled come from meta and are never shown as scheduled or waiting") {
  struct Case {
    const char* label;
    const char* status;
    const char* send_at_ms;  // far ahead or long past
    const char* shown;
  };
  const Case cases[] = {
      {"sending, send_at ahead", "sending", "4102444800000", "scheduled"},
      {"sending, no serve process", "sending", "1", "waiting"},
      {"paused, send_at ahead", "paused", "4102444800000", "paused"},
      {"paused, no serve process", "paused", "1", "paused"},
      {"cancelled, send_at ahead", "cancelled", "4102444800000", "cancelled"},
      {"cancelled, work left", "cancelled", "1", "cancelled"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Fixture f;
      (void)f.redis.command(
          {"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", c.status, "send_at_ms", c.send_at_ms});
      (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "3", "sent", "1"});
      CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").status == c.shown);
    }
  }
}

TEST_CASE("messages a cancel left unsent are counted as cancelled, not remaining") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "cancelled", "cancelled_at",
                         "2026-12-01T10:04:00Z", "purge_at_ms", "1798045445000", "priority", "urgent"});
  (void)f.redis.command({"HSET", f.keys.campaign_stats("c1"), "queued", "5", "sent", "1", "cancelled", "3"});
  const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
  CHECK(s.cancelled == 3);
  CHECK(s.remaining() == 1);  // a send started before the cancel may still get its outcome
  CHECK(s.purge_at_ms == 1798045445000);
  CHECK(s.priority == "urgent");
  const auto j = stats::stats_to_json(s);
  CHECK(j.at("cancelled") == 3);
  CHECK(j.at("cancelled_at") == "2026-12-01T10:04:00Z");
  CHECK(j.at("remaining") == 1);
  CHECK(j.at("priority") == "urgent");
}

TEST_CASE("priority reads normal when meta has none, and next_run_ms is read when the scheduler wrote it") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "sending"});
  (void)f.redis.command(
      {"HSET", f.keys.campaign_meta("c2"), "id", "c2", "status", "sending", "next_run_ms", "4102444800000"});
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").priority == "normal");
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").next_run_ms == 0);
  CHECK(stats::read_campaign_stats(f.redis, f.keys, "c2").next_run_ms == 4102444800000);
}

TEST_CASE("a registered schedule with no run of its own yet reads as scheduled") {
  Fixture f;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("weekly"), "id", "weekly", "next_run_ms", "1796320800000"});
  const auto s = stats::read_campaign_stats(f.redis, f.keys, "weekly");
  CHECK(s.status == "scheduled");
  CHECK(s.next_run_ms == 1796320800000);
}

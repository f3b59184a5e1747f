// Campaign counters as `stats` and `campaign status` read them, including
// erasures on request and when a done campaign's per-message data goes.
#include "stats/campaign_stats.h"

#include <catch2/catch.hpp>

#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/delivery_receipts.h"
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

TEST_CASE("counts by language are written with the totals and add up to them") {
  Fixture f;
  namespace c = store::counters;
  (void)f.redis.command({"HSET", f.keys.campaign_meta("c1"), "id", "c1", "status", "done"});
  // As the sender records outcomes and `serve` applies receipts.
  const auto record = [&](const std::string& phone, const std::string& language, const std::string& outcome,
                          std::vector<std::string> counters) {
    (void)f.redis.command({"SADD", f.keys.campaign_enqueued("c1"), phone});
    const auto call = store::record_outcome_call(f.keys, "c1", "0-1", phone, outcome, language, counters);
    REQUIRE(f.redis.eval(store::scripts().record_outcome, call.first, call.second).as_array().at(0).as_integer() == 1);
  };
  const auto sent = [&](const std::string& phone, const std::string& language) {
    record(phone, language, "sent:SM" + phone.substr(9), {std::string(c::kSent)});
  };
  const auto receipt = [&](const std::string& phone, const std::string& state, const std::string& code = "") {
    const store::ReceiptUpdate u{"c1", phone, "SM" + phone.substr(9), state, 2, true, code};
    REQUIRE(store::apply_receipt(f.redis, f.keys, u) == store::ReceiptResult::Final);
  };
  sent("+15595550101", "en");
  receipt("+15595550101", "delivered");
  sent("+15595550102", "en");
  receipt("+15595550102", "undelivered", "30003");
  sent("+15595550103", "es");
  receipt("+15595550103", "delivered");
  sent("+15595550104", "es");
  receipt("+15595550104", "failed", "30008");
  record("+15595550105", "es", "failed:21610", {std::string(c::kFailed), c::failed_with("21610")});
  sent("+15595550106", "es");  // no receipt yet
  record("+15595550107", "en", "skipped:stopped", {std::string(c::kSkippedStopped)});
  sent("+15595550108", "");  // a message without a language still counts

  const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
  REQUIRE(s.by_language.size() == 3);
  const auto& en = s.by_language.at("en");
  CHECK(en.sent == 2);
  CHECK(en.delivered == 1);
  CHECK(en.undelivered == 1);
  CHECK(en.failed_in_all() == 0);
  const auto& es = s.by_language.at("es");
  CHECK(es.sent == 3);
  CHECK(es.failed == 1);
  CHECK(es.delivery_failed == 1);
  CHECK(es.failed_in_all() == 2);
  CHECK(es.delivery_rate() == Approx(0.5));
  CHECK(s.by_language.at(std::string(c::kNoLanguage)).sent == 1);
  // Every count, summed over the languages, is the campaign's total.
  stats::LanguageStats sum;
  for (const auto& [language, l] : s.by_language) {
    sum.sent += l.sent;
    sum.failed += l.failed;
    sum.delivered += l.delivered;
    sum.undelivered += l.undelivered;
    sum.delivery_failed += l.delivery_failed;
  }
  CHECK(sum.sent == s.sent);
  CHECK(sum.failed == s.failed);
  CHECK(sum.delivered == s.delivered);
  CHECK(sum.undelivered == s.undelivered);
  CHECK(sum.delivery_failed == s.delivery_failed);
  CHECK(s.sent == 6);
  CHECK(s.failed == 1);

  const auto j = stats::stats_to_json(s);
  CHECK(j.at("by_language").at("es").at("sent") == 3);
  CHECK(j.at("by_language").at("es").at("delivery_failed") == 1);
  CHECK(j.at("by_language").at("en").at("delivery_rate").get<double>() == Approx(0.5));
  CHECK(j.at("by_language").at("und").at("delivery_rate").is_null());  // no receipt yet
  // Error codes in words, for failed sends as for receipts.
  CHECK(j.at("send_errors").at("21610").at("count") == 1);
  CHECK(j.at("send_errors").at("21610").at("meaning") == "Recipient replied STOP (unsubscribed with the carrier)");
  CHECK(j.at("receipt_errors").at("30008").at("meaning") == "Unknown error from the carrier");
  CHECK(j.at("failed_by_code").at("21610") == 1);  // as before, for scripts that read it

  const std::string details = stats::format_campaign_details(s);
  CHECK_THAT(details, Catch::Contains("LANGUAGE    ACCEPTED  DELIVERED  UNDELIVERED   FAILED  DELIVERY RATE"));
  CHECK_THAT(details, Catch::Contains("en                 2          1            1        0          50.0%"));
  CHECK_THAT(details, Catch::Contains("es                 3          1            0        2          50.0%"));
  CHECK_THAT(details, Catch::Contains("und                1          0            0        0              -"));
  CHECK_THAT(details, Catch::Contains("1 x 21610: Recipient replied STOP (unsubscribed with the carrier)"));
}

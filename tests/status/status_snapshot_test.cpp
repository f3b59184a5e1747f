// The status snapshot read from a real redis-server: which campaigns are
// listed and in what order, errors summed by code with their meaning,
// today's opt-outs counted from local midnight with numbers masked, and
// each serve process alive or silent.
#include "status/status_snapshot.h"

#include <catch2/catch.hpp>

#include "schedule/zoned_time.h"
#include "store/campaign_counters.h"
#include "store/campaign_meta.h"
#include "store/keyword_reply.h"
#include "support/redis_server.h"
#include "util/phone.h"

using namespace broadcaster;

namespace {

constexpr const char* kZone = "America/Los_Angeles";

/// A campaign as the enqueue and record scripts leave it: meta, counters,
/// and its place in the index (first submission at `submitted_ms`).
void add_campaign(store::RedisClient& r, const store::Keys& k, const std::string& id, std::string_view status,
                  long long submitted_ms, const std::vector<std::string>& counters,
                  const std::vector<std::string>& more_meta = {}) {
  std::vector<std::string> meta{"HSET", k.campaign_meta(id), std::string(store::meta::kStatus), std::string(status),
                                std::string(store::meta::kChannel), "sms"};
  meta.insert(meta.end(), more_meta.begin(), more_meta.end());
  (void)r.command(meta);
  std::vector<std::string> stats{"HSET", k.campaign_stats(id)};
  stats.insert(stats.end(), counters.begin(), counters.end());
  (void)r.command(stats);
  (void)r.command({"ZADD", k.campaign_index(), std::to_string(submitted_ms), id});
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("the snapshot lists running campaigns first, leaves keyword replies out, sums errors in words",
          "[status][snapshot]") {
  testing::RedisServer server;
  store::RedisClient r(server.endpoint());
  const store::Keys k("t:");
  namespace c = store::counters;
  const long long t = now_ms();
  add_campaign(r, k, "week-48-invite", store::meta::kSending, t - 3000,
               {std::string(c::kQueued), "10", std::string(c::kSent), "4", c::failed_with("30007"), "1",
                std::string(c::kFailed), "1"});
  add_campaign(r, k, "daca-renewal", store::meta::kDone, t - 2000,
               {std::string(c::kQueued), "5", std::string(c::kSent), "5", std::string(c::kErrorPrefix) + "30007", "2",
                std::string(c::kUndelivered), "2"});
  add_campaign(r, k, std::string(store::kReplyCampaignPrefix) + "twilio-SM0001", store::meta::kDone, t - 1000,
               {std::string(c::kQueued), "1", std::string(c::kSent), "1"}, {std::string(store::meta::kReply), "not_stopped"});

  const nlohmann::json s = status::read_status_snapshot(r, k, {kZone, "host:42"});
  INFO(s.dump(2));
  REQUIRE(s["campaigns"].size() == 2);
  // Running first, though submitted before the finished one.
  CHECK(s["campaigns"][0]["campaign"] == "week-48-invite");
  CHECK(s["campaigns"][0]["remaining"] == 5);
  CHECK(s["campaigns"][1]["campaign"] == "daca-renewal");
  CHECK(s["answered_by"] == "host:42");
  // 30007 once as a send failure, twice as a receipt: three, in words.
  REQUIRE(s["errors"].size() == 1);
  CHECK(s["errors"][0]["code"] == "30007");
  CHECK(s["errors"][0]["count"] == 3);
  CHECK_THAT(s["errors"][0]["meaning"].get<std::string>(), Catch::Contains("carrier"));
  CHECK(s["errors"][0]["campaigns"].size() == 2);
}

TEST_CASE("today's opt-outs count from local midnight and show only masked numbers", "[status][snapshot]") {
  testing::RedisServer server;
  store::RedisClient r(server.endpoint());
  const store::Keys k("t:");
  schedule::LocalDateTime local = schedule::to_local(std::chrono::system_clock::now(), kZone);
  local.hour = 0;
  local.minute = 0;
  const long long midnight = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 schedule::to_instant(local, kZone).time_since_epoch())
                                 .count();
  const auto entry = [&](long long ms, const std::string& action, const std::string& phone) {
    const std::string id = std::to_string(ms) + "-0";
    (void)r.command({"XADD", k.consent(), id, "at", "2026-12-02T08:00:00Z", "action", action, "source", "keyword",
                     "subject", "s", "detail", "STOP"});
    (void)r.command({"HSET", k.consent_pii(), id + ":phone", phone});
  };
  entry(midnight - 60'000, "opt_out", "+15595550110");  // yesterday, 23:59
  entry(midnight + 1, "opt_in", "+15595550111");
  entry(midnight + 2, "opt_out", "+15595550112");
  entry(midnight + 3, "opt_out", "+15595550113");
  (void)r.command({"HDEL", k.consent_pii(), std::to_string(midnight + 3) + "-0:phone"});  // erased on request

  const nlohmann::json s = status::read_status_snapshot(r, k, {kZone, "host:42"});
  const nlohmann::json& today = s["today"];
  INFO(today.dump(2));
  CHECK(today["date"] == schedule::to_string(local.date));
  CHECK(today["opt_outs"] == 2);
  CHECK(today["opt_ins"] == 1);
  REQUIRE(today["recent_opt_outs"].size() == 2);
  CHECK(today["recent_opt_outs"][0]["number"].is_null());  // newest first; erased stays erased
  CHECK(today["recent_opt_outs"][1]["number"] == util::mask_phone("+15595550112"));
  CHECK_THAT(s.dump(), !Catch::Contains("5550112") && !Catch::Contains("5550110"));
}

TEST_CASE("every serve process is listed, alive or silent", "[status][snapshot]") {
  testing::RedisServer server;
  store::RedisClient r(server.endpoint());
  const store::Keys k("t:");
  const long long t = now_ms();
  (void)r.command({"ZADD", k.serve_processes(), std::to_string(t - 1000), "fresno-1:101", std::to_string(t - 120'000),
                   "fresno-2:202"});
  const nlohmann::json s = status::read_status_snapshot(r, k, {kZone, "fresno-1:101"});
  REQUIRE(s["processes"].size() == 2);
  CHECK(s["processes"][0]["name"] == "fresno-1:101");
  CHECK(s["processes"][0]["alive"] == true);
  CHECK(s["processes"][1]["name"] == "fresno-2:202");
  CHECK(s["processes"][1]["alive"] == false);
  CHECK(s["processes"][1]["last_seen_seconds"].get<double>() >= 119);
  CHECK(s["campaigns"].empty());
  CHECK(s["errors"].empty());
}

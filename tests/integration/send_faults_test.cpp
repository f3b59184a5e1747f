// The send path under the failures a user meets, with real processes: a
// provider that answers after the time-out, `serve` killed with SIGKILL at
// random moments, Redis killed and restarted from its AOF, SIGTERM while
// messages are held, a Retry-After of an hour, an unreadable queue entry.
// Each test counts what reached the provider: nobody twice, nobody lost.
#include <catch2/catch.hpp>
#include <csignal>
#include <random>
#include <thread>

#include "campaign_checks.h"
#include "config/staff_token.h"
#include "pipeline_fixture.h"
#include "store/subscriber_store.h"

using namespace broadcaster;
using namespace broadcaster::testing;
using nlohmann::json;

namespace {

constexpr const char* kCampaign = "it-invite";

// Consumers in the campaign's group, by name, with their pending counts.
std::map<std::string, long long> consumers(store::RedisClient& redis) {
  std::map<std::string, long long> out;
  const auto reply = redis.command({"XINFO", "CONSUMERS", "it:{c:it-invite}:queue", "senders"});
  for (const auto& c : reply.as_array()) {
    std::string name;
    long long pending = 0;
    const auto& f = c.as_array();
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      if (f[i].as_string() == "name") name = f[i + 1].as_string();
      if (f[i].as_string() == "pending") pending = f[i + 1].as_integer();
    }
    out[name] = pending;
  }
  return out;
}

long long accepted(const Pipeline& p) { return p.sim_stats().value("accepted", 0LL); }

void stop_gracefully(Process& serve) {
  serve.signal(SIGTERM);
  INFO("serve: " << serve.output());
  CHECK(serve.wait(std::chrono::seconds(30)) == 0);
}

}  // namespace

TEST_CASE("a provider that answers after the time-out: each subscriber gets exactly one message", "[faults]") {
  constexpr int kSubscribers = 40;
  PipelineOptions o;
  o.max_in_flight = 16;
  o.timeout_ms = 400;  // the simulator accepts at once but answers after 2.5 s
  o.claim_idle_ms = 3000;
  o.in_doubt_settle_ms = 300;
  o.sim_args = {"--delay-ms", "2500"};
  Pipeline p(o);
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());

  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(90)));
  stop_gracefully(*serve);

  check_exactly_once(p, kSubscribers);
  CHECK(accepted(p) == kSubscribers);
  CHECK(p.sim_stats().value("lists", 0) >= kSubscribers);  // it asked before deciding
  const auto s = stats_of(redis, kCampaign);
  CHECK(field(s, "sent") == kSubscribers);
  CHECK(field(s, "failed") == 0);
  CHECK(field(s, "in_doubt") >= kSubscribers);
  CHECK(field(s, "in_doubt_found") == kSubscribers);
  CHECK(field(s, "in_doubt_resent") == 0);
  // Markers go with the outcomes.
  CHECK(redis.command({"HLEN", "it:{c:it-invite}:sending"}).as_integer() == 0);

  std::string out;
  REQUIRE(p.run({"stats", kCampaign, "--json"}, &out) == 0);
  const auto j = json::parse(out).at(0);
  CHECK(j.at("sent") == kSubscribers);
  CHECK(j.at("in_doubt_found") == kSubscribers);
  CHECK(j.at("remaining") == 0);
}

TEST_CASE("serve killed with SIGKILL at random moments: nobody gets two messages or none", "[faults]") {
  constexpr int kSubscribers = 300;
  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 rng(seed);
  INFO("seed " << seed);
  for (int run = 0; run < 3; ++run) {
    DYNAMIC_SECTION("run " << run) {
      PipelineOptions o;
      o.per_second = 150;
      o.burst = 5;
      o.max_in_flight = 16;
      o.claim_idle_ms = 3000;
      Pipeline p(o);
      write_campaign_files(p, kSubscribers);
      import_and_submit(p);
      store::RedisClient redis(p.redis_server().endpoint());
      auto a = p.start({"serve", "--consumer", "a"}, "serve-a.log");
      auto b = p.start({"serve", "--consumer", "b"}, "serve-b.log");
      const long long kill_at = std::uniform_int_distribution<long long>(5, 250)(rng);
      INFO("killing a after " << kill_at << " accepted");
      REQUIRE(wait_for_condition([&] { return accepted(p) >= kill_at; }, std::chrono::seconds(60)));
      a->signal(SIGKILL);
      REQUIRE(a->wait(std::chrono::seconds(10)) == 128 + SIGKILL);
      REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(90)));
      stop_gracefully(*b);
      check_exactly_once(p, kSubscribers);
      CHECK(accepted(p) == kSubscribers);
      const auto s = stats_of(redis, kCampaign);
      CHECK(field(s, "sent") == kSubscribers);
      CHECK(field(s, "failed") == 0);
      // b left nothing behind and removed itself from the group.
      CHECK(consumers(redis).count("b") == 0);
    }
  }
}

TEST_CASE("Redis killed and restarted from its AOF mid-campaign: serve waits, resumes, sends nobody twice",
          "[faults]") {
  constexpr int kSubscribers = 300;
  PipelineOptions o;
  o.per_second = 100;
  o.burst = 5;
  o.claim_idle_ms = 3000;
  o.inbound = true;
  o.redis.appendonly = true;
  Pipeline p(o);
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);

  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return accepted(p) >= 100; }, std::chrono::seconds(60)));
  p.redis_server().kill9();

  // While Redis is away a subscriber texts STOP: answered 503, so Twilio retries.
  const std::string stopper = number(kSubscribers - 1);
  const auto during = text_in(p, stopper, "STOP", "SM00000000000000000000000000000001");
  CHECK(during.status == 503);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the outage lasts a while
  REQUIRE(serve->alive());
  p.redis_server().restart();

  // The provider's retry of the same webhook is acted on.
  const auto retried = text_in(p, stopper, "STOP", "SM00000000000000000000000000000001");
  CHECK(retried.status == 200);

  store::RedisClient redis(p.redis_server().endpoint());
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(120)));
  REQUIRE(serve->alive());
  stop_gracefully(*serve);

  check_exactly_once(p, kSubscribers, {stopper});  // the STOP may have come before its message
  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  CHECK(subscribers.get(util::Phone::from_trusted_e164(stopper))->status == "stopped");
  CHECK_THAT(serve->output(), Catch::Contains("is back after"));
}

TEST_CASE("serve started while Redis is down waits for it, then sends", "[faults]") {
  constexpr int kSubscribers = 30;
  PipelineOptions o;
  o.redis.appendonly = true;
  Pipeline p(o);
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  p.redis_server().stop();
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return serve->output().find("waiting for Redis") != std::string::npos; },
                             std::chrono::seconds(20)));
  CHECK(serve->alive());
  p.redis_server().restart();
  store::RedisClient redis(p.redis_server().endpoint());
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(60)));
  stop_gracefully(*serve);
  check_exactly_once(p, kSubscribers);
}

TEST_CASE("SIGTERM hands held messages back at once instead of leaving them for claim_idle", "[faults]") {
  constexpr int kSubscribers = 200;
  PipelineOptions o;
  o.per_second = 25;
  o.burst = 1;
  o.max_in_flight = 16;
  o.claim_idle_ms = 120000;  // far longer than the test may take: only a hand-back lets b finish in time
  Pipeline p(o);
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto a = p.start({"serve", "--consumer", "a"}, "serve-a.log");
  auto b = p.start({"serve", "--consumer", "b"}, "serve-b.log");
  REQUIRE(wait_for_condition([&] { return accepted(p) >= 30 && consumers(redis)["a"] > 0; }, std::chrono::seconds(60)));
  a->signal(SIGTERM);
  REQUIRE(a->wait(std::chrono::seconds(20)) == 0);
  CHECK_THAT(a->output(), Catch::Contains("handed back"));

  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(60)));
  CHECK(consumers(redis)["a"] == 0);
  stop_gracefully(*b);
  check_exactly_once(p, kSubscribers);
  CHECK(consumers(redis).count("b") == 0);
}

TEST_CASE("a Retry-After of an hour is capped, and unreadable queue entries are set aside", "[faults]") {
  constexpr int kSubscribers = 20;
  PipelineOptions o;
  o.retry_after_max_ms = 200;
  o.max_attempts = 6;
  o.sim_args = {"--fail-429-every", "3", "--retry-after-seconds", "3600"};
  Pipeline p(o);
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  // An entry without a recipient, one whose text reference names no text
  // of the campaign, and one to a Telegram chat on this SMS channel, as a
  // bug or a hand edit might leave.
  redis.command({"XADD", "it:{c:it-invite}:queue", "*", "campaign", kCampaign, "body", "no recipient"});
  redis.command({"XADD", "it:{c:it-invite}:queue", "*", "to", "+15595550199", "lang", "es", "body_ref", "000000000000"});
  redis.command({"XADD", "it:{c:it-invite}:queue", "*", "to", "telegram:123456789", "lang", "es", "body", "Hola"});
  redis.command({"HINCRBY", "it:{c:it-invite}:stats", "queued", "3"});

  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(60)));
  stop_gracefully(*serve);
  check_exactly_once(p, kSubscribers);
  const auto s = stats_of(redis, kCampaign);
  CHECK(field(s, "sent") == kSubscribers);
  CHECK(field(s, "dead_letter") == 3);
  CHECK(redis.command({"XLEN", "it:{c:it-invite}:dead"}).as_integer() == 3);
  CHECK_THAT(serve->output(), Catch::Contains("'body_ref' names no text of the campaign"));
  CHECK_THAT(serve->output(), Catch::Contains("cannot reach this kind of address (telegram)"));
  CHECK(redis.command({"XPENDING", "it:{c:it-invite}:queue", "senders"}).as_array().at(0).as_integer() == 0);
}

TEST_CASE("serve refuses a claim_idle that leaves no room for the channel's time-out", "[faults]") {
  PipelineOptions o;
  o.timeout_ms = 2000;
  o.claim_idle_ms = 3000;
  Pipeline p(o);
  std::string out;
  CHECK(p.run({"serve"}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("claim_idle_ms (3000) must be at least 3 times channel 'sms' timeout_ms (2000)"));
}

TEST_CASE("a refused auth token pauses the campaign instead of failing its audience; fixed and resumed, each gets one",
          "[faults]") {
  constexpr int kSubscribers = 30;
  const std::string staff = "staff:\n  - name: Ana Ruiz\n    token_sha256: " +
                            config::token_sha256_hex("bcst_ana-faults-token") + "\n";
  Pipeline p(PipelineOptions{.outreach = "quiet_hours: {start: \"00:00\", end: \"24:00\"}\n" + staff});
  write_campaign_files(p, kSubscribers);
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  const auto status = [&] { return redis.command({"HGET", "it:{c:it-invite}:meta", "status"}).as_string(); };

  // The token in the environment is not the account's: Twilio answers 401 with error 20003.
  auto wrong = p.start({"serve"}, "serve-wrong-token.log", {"TWILIO_AUTH_TOKEN=not-the-auth-token"});
  REQUIRE(wait_for_condition([&] { return status() == "paused"; }, std::chrono::seconds(30)));
  stop_gracefully(*wrong);
  CHECK_THAT(wrong->output(), Catch::Contains("20003") && Catch::Contains("pausing the campaign"));
  auto s = stats_of(redis, kCampaign);
  CHECK(field(s, "failed") == 0);  // nobody's message was spent on the mistake
  CHECK(field(s, "sent") == 0);
  CHECK(p.sim_messages().size() == 0);
  std::string out;
  REQUIRE(p.run({"audit", "--campaign", kCampaign}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("serve") && Catch::Contains("20003"));

  // Fixed (serve restarted with the right token) and resumed: everyone gets exactly one message.
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(p.run({"campaign", "resume", kCampaign}, &out, {"BROADCASTER_STAFF_TOKEN=bcst_ana-faults-token"}) == 0);
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, kCampaign); }, std::chrono::seconds(60)));
  stop_gracefully(*serve);
  check_exactly_once(p, kSubscribers);
  s = stats_of(redis, kCampaign);
  CHECK(field(s, "sent") == kSubscribers);
  CHECK(field(s, "failed") == 0);
}

// End to end: CSV import -> campaign submit -> two `serve` processes ->
// provider simulator, with one sender killed half-way.
#include <catch2/catch.hpp>

#include <csignal>
#include <map>

#include "campaign_checks.h"
#include "pipeline_fixture.h"
#include "store/subscriber_store.h"

using namespace broadcaster;
using broadcaster::testing::Pipeline;
using broadcaster::testing::PipelineOptions;
using broadcaster::testing::wait_for_condition;
using nlohmann::json;

using broadcaster::testing::campaign_done;
using broadcaster::testing::field;
using broadcaster::testing::number;
using broadcaster::testing::stats_of;
using broadcaster::testing::write_campaign_files;
constexpr const auto& kLanguages = broadcaster::testing::kCampaignLanguages;

TEST_CASE("a campaign reaches every active subscriber exactly once even when a sender is killed") {
  constexpr int kSubscribers = 1200;
  Pipeline p(PipelineOptions{.per_second = 100, .burst = 5, .max_in_flight = 16, .claim_idle_ms = 3000, .sim_args = {}});
  write_campaign_files(p, kSubscribers);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);

  store::RedisClient redis(p.redis_server().endpoint());
  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  std::set<std::string> stopped;
  auto stop = [&](int i) {
    REQUIRE(subscribers.stop(*util::Phone::parse(number(i), "US"), "test"));
    stopped.insert(number(i));
  };
  for (int i = 0; i < kSubscribers; i += 20) stop(i);  // opted out before the campaign

  std::string out;
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string()}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("campaign 'it-invite': 1140 messages queued"));
  CHECK_THAT(out, Catch::Contains("waiting for a sender: no `broadcaster serve` is running"));
  for (int i = 1; i < kSubscribers; i += 20) stop(i);  // opted out after it was queued

  auto a = p.start({"serve", "--consumer", "a"}, "serve-a.log");
  auto b = p.start({"serve", "--consumer", "b"}, "serve-b.log");
  REQUIRE(wait_for_condition([&] { return p.sim_stats().value("accepted", 0) >= 400; }, std::chrono::seconds(60)));
  a->signal(SIGKILL);
  REQUIRE(a->wait(std::chrono::seconds(10)) == 128 + SIGKILL);

  REQUIRE(wait_for_condition([&] { return campaign_done(redis, "it-invite"); }, std::chrono::seconds(120)));
  b->signal(SIGTERM);
  CHECK(b->wait(std::chrono::seconds(30)) == 0);
  INFO("serve b: " << b->output());

  std::map<std::string, int> received;
  std::map<std::string, std::string> body_of;
  for (const auto& m : p.sim_messages()) {
    ++received[m.at("to").get<std::string>()];
    body_of[m.at("to").get<std::string>()] = m.at("body").get<std::string>();
  }
  int active = 0;
  for (int i = 0; i < kSubscribers; ++i) {
    const std::string n = number(i);
    if (stopped.count(n)) {
      CHECK(received.count(n) == 0);
      continue;
    }
    ++active;
    CHECK(received[n] == 1);
    CHECK_THAT(body_of[n], Catch::StartsWith(std::string("[") + kLanguages[i % 3] + "]"));
  }
  CHECK(static_cast<int>(received.size()) == active);

  const auto s = stats_of(redis, "it-invite");
  CHECK(field(s, "queued") == 1140);
  CHECK(field(s, "sent") == active);
  CHECK(field(s, "skipped_stopped") == 60);
  CHECK(field(s, "failed") == 0);

  // The stats command agrees, and says the campaign is done.
  REQUIRE(p.run({"stats", "it-invite", "--json"}, &out) == 0);
  const auto j = json::parse(out).at(0);
  CHECK(j.at("sent") == active);
  CHECK(j.at("skipped_stopped") == 60);
  CHECK(j.at("remaining") == 0);
  CHECK(j.at("status") == "done");
}

TEST_CASE("submitting the same campaign twice never queues a subscriber twice") {
  Pipeline p;
  write_campaign_files(p, 90);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  std::string out;
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string(), "--json"}, &out) == 0);
  CHECK(json::parse(out).at("queued") == 90);
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string(), "--json"}, &out) == 0);
  CHECK(json::parse(out).at("queued") == 0);
  CHECK(json::parse(out).at("already_queued") == 90);
  store::RedisClient redis(p.redis_server().endpoint());
  CHECK(redis.command({"XLEN", "it:{c:it-invite}:queue"}).as_integer() == 90);
}

TEST_CASE("provider errors: permanent ones are counted by code, retryable ones are retried, 21610 stops the number") {
  constexpr int kSubscribers = 60;
  const std::string unsubscribed = number(7);
  const std::string invalid = number(8);
  Pipeline p(PipelineOptions{.per_second = 0, .burst = 1, .max_in_flight = 8, .claim_idle_ms = 3000,
                             .sim_args = {"--unsubscribed", unsubscribed, "--invalid", invalid, "--fail-429-every",
                                          "7", "--retry-after-seconds", "0", "--fail-500-every", "11",
                                          "--html-error-every", "13"}});
  write_campaign_files(p, kSubscribers);
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}) == 0);
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string()}) == 0);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition([&] { return campaign_done(redis, "it-invite"); }, std::chrono::seconds(60)));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);

  const auto s = stats_of(redis, "it-invite");
  CHECK(field(s, "failed") == 2);
  CHECK(field(s, "failed:21610") == 1);
  CHECK(field(s, "failed:21211") == 1);
  CHECK(field(s, "sent") == kSubscribers - 2);
  std::map<std::string, int> received;
  for (const auto& m : p.sim_messages()) ++received[m.at("to").get<std::string>()];
  CHECK(received.size() == kSubscribers - 2);
  for (const auto& [to, n] : received) CHECK(n == 1);

  // The carrier-level opt-out is now ours too.
  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  CHECK(subscribers.get(*util::Phone::parse(unsubscribed, "US"))->status == "stopped");
  // Logs never show a full number.
  CHECK_THAT(serve->output(), !Catch::Contains(unsubscribed));
}

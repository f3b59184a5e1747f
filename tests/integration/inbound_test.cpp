// Subscribers texting the real `serve` process: a STOP that arrives while a
// campaign of thousands is going out stops every later message to that
// number, and webhooks that are not Twilio's are refused.
#include <catch2/catch.hpp>

#include <csignal>

#include "pipeline_fixture.h"
#include "store/consent_log.h"
#include "store/subscriber_store.h"

using namespace broadcaster;
using testing::Pipeline;
using testing::PipelineOptions;
using testing::wait_for_condition;

namespace {

std::string number(int i) { return "+1559" + std::to_string(2310000 + i); }

}  // namespace

TEST_CASE("a STOP that arrives mid-campaign stops every later message to that number") {
  constexpr int kSubscribers = 3000;
  PipelineOptions options;
  options.per_second = 300;
  options.burst = 10;
  options.inbound = true;
  Pipeline p(options);
  p.dir().write("templates/invite/en.txt", "Free legal workshop Saturday at {place}. Reply STOP to cancel.\n");
  p.dir().write("campaign.yaml",
                "id: it-stop\ntemplate: invite\nchannel: sms\naudience:\n  languages: [en]\nvariables:\n  place: Fresno Central Library\n");
  std::string csv = "phone,language,tags\n";
  for (int i = 0; i < kSubscribers; ++i) csv += number(i) + ",en,fresno\n";
  p.dir().write("subscribers.csv", csv);
  std::string out;
  REQUIRE(p.run({"subscribers", "import", (p.dir().path() / "subscribers.csv").string()}, &out) == 0);
  INFO(out);
  REQUIRE(p.run({"campaign", "submit", (p.dir().path() / "campaign.yaml").string()}, &out) == 0);

  auto serve = p.start({"serve"}, "serve.log");
  // The last number in the queue texts STOP once the campaign is under way.
  const std::string target = number(kSubscribers - 1);
  REQUIRE(wait_for_condition([&] { return p.sim_stats().value("accepted", 0) >= 300; }, std::chrono::seconds(60)));
  const auto answer = text_in(p, target, "Stop", "SM0000000000000000000000000000stop");
  REQUIRE(answer.status == 200);
  CHECK(answer.body.find("<Message>") != std::string::npos);  // the one confirmation

  store::RedisClient redis(p.redis_server().endpoint());
  REQUIRE(wait_for_condition(
      [&] {
        const auto s = redis.command({"HGETALL", "it:{c:it-stop}:stats"}).as_map();
        auto get = [&](const char* k) { return s.count(k) ? std::stoll(s.at(k)) : 0LL; };
        return get("sent") + get("failed") + get("skipped_stopped") == kSubscribers;
      },
      std::chrono::seconds(120)));
  const auto messages = p.sim_messages();
  CHECK(messages.size() == kSubscribers - 1);
  for (const auto& m : messages) CHECK(m.at("to").get<std::string>() != target);
  CHECK(redis.command({"HGET", "it:{c:it-stop}:stats", "skipped_stopped"}).as_string() == "1");

  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  const auto history = store::ConsentLog(redis, store::Keys("it:")).history(
      subscribers.subject(util::Phone::from_trusted_e164(target)));
  REQUIRE(history.size() == 2);
  CHECK(history[1].action == "opt_out");
  CHECK(history[1].source == "keyword");
  CHECK(history[1].provider_id == "SM0000000000000000000000000000stop");
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("serve refuses unsigned webhooks and answers signed ones in the subscriber's language") {
  PipelineOptions options;
  options.inbound = true;
  Pipeline p(options);
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(testing::webhooks_answer(p));
  CHECK(text_in(p, "+15595550142", "ÚNETE", "SM00000000000000000000000000000001", false).status == 403);
  const auto joined = text_in(p, "+15595550142", "ÚNETE", "SM00000000000000000000000000000002");
  CHECK(joined.status == 200);
  CHECK(joined.body.find("ALTO") != std::string::npos);
  store::RedisClient redis(p.redis_server().endpoint());
  const auto s = store::SubscriberStore(redis, store::Keys("it:")).get(*util::Phone::parse("+15595550142", "US"));
  REQUIRE(s);
  CHECK(s->language == "es");
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

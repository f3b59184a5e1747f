// Keyword replies through the real `serve` and the provider simulator, in
// both modes of an endpoint's `replies:` setting. Outbound: the STOP
// confirmation and the JOIN welcome reach the provider's Messages API as
// ordinary messages, exactly once each, even when the webhook is retried
// or its first attempt died between acting and queuing the reply, and they
// are receipted like campaign messages. In the answer: a retried webhook
// whose first answer was lost gets the same reply in its answer.
#include <catch2/catch.hpp>
#include <csignal>
#include <map>
#include <thread>

#include "pipeline_fixture.h"
#include "store/keyword_reply.h"
#include "store/subscriber_store.h"

using namespace broadcaster;
using testing::Pipeline;
using testing::PipelineOptions;
using testing::wait_for_condition;

namespace {

constexpr const char* kOptOutText =
    "Valley Immigrant Legal Network: You are unsubscribed and will receive no more messages. Reply START to rejoin.";
constexpr const char* kWelcomeStart = "Valley Immigrant Legal Network: You are now subscribed";

/// Bodies the simulator accepted, by recipient.
std::map<std::string, std::vector<std::string>> received(const Pipeline& p) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& m : p.sim_messages()) out[m.at("to").get<std::string>()].push_back(m.at("body").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("outbound replies reach the provider as messages, once per inbound text however often it is retried") {
  PipelineOptions options;
  options.inbound = true;
  options.receipts = true;
  options.sim_args = {"--status-callbacks", "normal"};
  options.inbound_endpoint = ", replies: outbound, reply_channel: sms";
  Pipeline p(options);
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(testing::webhooks_answer(p));

  const std::string stopper = "+15595550150";
  const std::string joiner = "+15595550151";
  const std::string crashed = "+15595550152";
  // The first STOP's answer was lost: Twilio posts it again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto answer = text_in(p, stopper, "STOP", "SM0000000000000000000000000000r001");
    REQUIRE(answer.status == 200);
    CHECK(answer.body.find("<Message>") == std::string::npos);  // nothing in the answer
  }
  const auto join = text_in(p, joiner, "JOIN", "SM0000000000000000000000000000r002");
  REQUIRE(join.status == 200);
  CHECK(join.body.find("<Message>") == std::string::npos);

  // A STOP whose first attempt was acted on, then the process died before
  // the reply was queued: the number is stopped, the webhook's id is
  // remembered as acted on, and no reply exists.
  store::RedisClient redis(p.redis_server().endpoint());
  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  const store::ConsentContext context{"keyword", "STOP", "SM0000000000000000000000000000r003", "twilio",
                                      std::chrono::seconds(3600)};
  REQUIRE(subscribers.stop(*util::Phone::parse(crashed, "US"), "stop", context) == store::StopOutcome::Stopped);
  for (int attempt = 0; attempt < 2; ++attempt) {
    REQUIRE(text_in(p, crashed, "STOP", "SM0000000000000000000000000000r003").status == 200);
  }

  REQUIRE(wait_for_condition([&] { return p.sim_messages().size() >= 3; }, std::chrono::seconds(30)));
  // Time for a second copy to arrive, if one were queued.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto got = received(p);
  CHECK(p.sim_messages().size() == 3);
  REQUIRE(got.count(stopper));
  REQUIRE(got.at(stopper).size() == 1);
  CHECK(got.at(stopper)[0] == kOptOutText);  // sent although the number is opted out
  REQUIRE(got.count(joiner));
  REQUIRE(got.at(joiner).size() == 1);
  CHECK(got.at(joiner)[0].rfind(kWelcomeStart, 0) == 0);
  REQUIRE(got.count(crashed));
  REQUIRE(got.at(crashed).size() == 1);
  CHECK(got.at(crashed)[0] == kOptOutText);

  // Each is an ordinary outbound message: an outcome recorded, and its
  // delivery receipt applied.
  const std::string id = "reply-twilio-SM0000000000000000000000000000r001";
  CHECK(redis.command({"HGET", "it:{c:" + id + "}:outcome", stopper}).as_string().rfind("sent:SM", 0) == 0);
  REQUIRE(wait_for_condition(
      [&] {
        const auto d = redis.command({"HGET", "it:{c:" + id + "}:delivery", stopper});
        return !d.is_nil() && d.as_string().find("delivered") != std::string::npos;
      },
      std::chrono::seconds(30)));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);

  // Lists stay readable: the three replies are summed up, not a row each,
  // unless asked for.
  std::string out;
  REQUIRE(p.run({"stats"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("3 keyword replies sent as messages not listed"));
  CHECK(out.find("reply-twilio-") == std::string::npos);
  REQUIRE(p.run({"stats", "--replies"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains(id));
  REQUIRE(p.run({"campaign", "list"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("3 keyword replies sent as messages of their own"));
  CHECK(out.find("reply-twilio-") == std::string::npos);
  REQUIRE(p.run({"campaign", "list", "--all"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains(id));
}

TEST_CASE("a queued welcome is not sent once the subscriber's STOP came in; the STOP's confirmation is") {
  PipelineOptions options;
  options.inbound = true;
  options.inbound_endpoint = ", replies: outbound, reply_channel: sms";
  Pipeline p(options);
  // Both replies queued before any serve runs, the STOP acted on in between.
  store::RedisClient redis(p.redis_server().endpoint());
  const store::Keys keys("it:");
  const util::Phone me = *util::Phone::parse("+15595550153", "US");
  const auto retention = std::chrono::milliseconds(3'600'000);
  REQUIRE(store::enqueue_reply(redis, keys, {"twilio", "SMr010", "sms", me, "en", "Welcome to the list.", false},
                               retention));
  REQUIRE(store::SubscriberStore(redis, keys)
              .stop(me, "stop", {"keyword", "STOP", "SMr011", "twilio", std::chrono::seconds(3600)}) ==
          store::StopOutcome::Stopped);
  REQUIRE(store::enqueue_reply(redis, keys, {"twilio", "SMr011", "sms", me, "en", kOptOutText, true}, retention));
  // Queued once: the same inbound id again queues nothing.
  CHECK_FALSE(store::enqueue_reply(redis, keys, {"twilio", "SMr011", "sms", me, "en", kOptOutText, true}, retention));

  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(wait_for_condition(
      [&] {
        return !redis.command({"HGET", "it:{c:reply-twilio-SMr010}:outcome", me.e164()}).is_nil();
      },
      std::chrono::seconds(30)));
  REQUIRE(wait_for_condition([&] { return p.sim_messages().size() >= 1; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const auto got = received(p);
  REQUIRE(got.count(me.e164()));
  CHECK(got.at(me.e164()) == std::vector<std::string>{kOptOutText});
  CHECK(redis.command({"HGET", "it:{c:reply-twilio-SMr010}:outcome", me.e164()}).as_string() == "skipped:stopped");
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("in the answer: a retried webhook whose first answer was lost gets the same reply") {
  PipelineOptions options;
  options.inbound = true;
  Pipeline p(options);
  auto serve = p.start({"serve"}, "serve.log");
  REQUIRE(testing::webhooks_answer(p));
  const auto first = text_in(p, "+15595550154", "JOIN", "SM0000000000000000000000000000r020");
  const auto retry = text_in(p, "+15595550154", "JOIN", "SM0000000000000000000000000000r020");
  REQUIRE(first.status == 200);
  REQUIRE(retry.status == 200);
  CHECK(first.body.find(kWelcomeStart) != std::string::npos);
  CHECK(retry.body == first.body);
  const auto stop = text_in(p, "+15595550154", "STOP", "SM0000000000000000000000000000r021");
  const auto stop_retry = text_in(p, "+15595550154", "STOP", "SM0000000000000000000000000000r021");
  CHECK(stop.body.find("You are unsubscribed") != std::string::npos);
  CHECK(stop_retry.body == stop.body);
  // The JOIN retried once more, after the STOP: no welcome to a stopped number.
  const auto late = text_in(p, "+15595550154", "JOIN", "SM0000000000000000000000000000r020");
  CHECK(late.status == 200);
  CHECK(late.body.find("<Message>") == std::string::npos);
  // Nothing went through the Messages API in this mode.
  CHECK(p.sim_messages().empty());
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

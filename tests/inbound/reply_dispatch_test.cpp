// Where keyword replies go, against a real redis-server: a retried webhook
// gets exactly what its first attempt chose (a withheld reply stays
// withheld), and an outbound reply is queued once per inbound text.
#include "inbound/reply_dispatch.h"

#include <catch2/catch.hpp>

#include "inbound/inbound_fixture.h"
#include "inbound/keyword_responder.h"

using namespace broadcaster;
using inbound::KeywordResponder;
using inbound::ReplyDispatch;

namespace {

struct Fixture {
  explicit Fixture(const std::string& extra = "")
      : cfg(testing::inbound_config(dir, server, extra)),
        redis(server.endpoint()),
        responder(cfg, testing::shipped_keywords(), redis, std::nullopt),
        dispatch(cfg, redis) {}

  /// The webhook's answer to `message`, as the webhook server computes it.
  std::optional<std::string> answer(const channels::InboundMessage& message) {
    return dispatch.dispatch(message, responder.handle(message));
  }
  long long queue_length(const std::string& campaign) {
    return redis.command({"XLEN", "in:{c:" + campaign + "}:queue"}).as_integer();
  }

  testing::TempDir dir;
  testing::RedisServer server;
  config::Config cfg;
  store::RedisClient redis;
  KeywordResponder responder;
  ReplyDispatch dispatch;
};

channels::InboundMessage text(const std::string& from, const std::string& body, const std::string& sid) {
  return {"twilio", from, "+15595550100", body, sid};
}

}  // namespace

TEST_CASE("in the answer: a retry gets the first attempt's reply, a withheld one stays withheld") {
  Fixture f("  replies_per_hour: 1\n  endpoints:\n    twilio: {type: twilio, public_url: \"http://x/\"}\n");
  const auto join = text("+15595550160", "JOIN", "SMd1");
  const auto first = f.answer(join);
  REQUIRE(first);
  CHECK(f.answer(join) == first);
  // Over the cap of 1: HELP's reply is withheld, and so is its retry's.
  const auto help = text("+15595550160", "HELP", "SMd2");
  CHECK_FALSE(f.answer(help));
  CHECK_FALSE(f.answer(help));
  // The STOP confirmation is never withheld, and its retry carries it too.
  const auto stop = text("+15595550160", "STOP", "SMd3");
  const auto confirmed = f.answer(stop);
  REQUIRE(confirmed);
  CHECK(f.answer(stop) == confirmed);
  // The JOIN retried after the STOP: no welcome to an opted-out number.
  CHECK_FALSE(f.answer(join));
}

TEST_CASE("outbound: the answer is empty and the reply is queued once, retries or not") {
  Fixture f(
      "  endpoints:\n    twilio: {type: twilio, public_url: \"http://x/\", replies: outbound, "
      "reply_channel: sms}\n");
  const auto stop = text("+15595550161", "STOP", "SMd4");
  CHECK_FALSE(f.answer(stop));
  CHECK_FALSE(f.answer(stop));
  CHECK(f.queue_length("reply-twilio-SMd4") == 1);
  const auto meta = f.redis.command({"HGETALL", "in:{c:reply-twilio-SMd4}:meta"}).as_map();
  CHECK(meta.at("channel") == "sms");
  CHECK(meta.at("priority") == "urgent");
  CHECK(meta.at("reply") == "to_stopped");
  CHECK(f.redis.command({"ZSCORE", "in:campaigns", "reply-twilio-SMd4"}).type != store::RedisValue::Type::Nil);
  const auto join = text("+15595550162", "JOIN", "SMd5");
  CHECK_FALSE(f.answer(join));
  CHECK_FALSE(f.answer(join));
  CHECK(f.queue_length("reply-twilio-SMd5") == 1);
  CHECK(f.redis.command({"HGET", "in:{c:reply-twilio-SMd5}:meta", "reply"}).as_string() == "not_stopped");
}

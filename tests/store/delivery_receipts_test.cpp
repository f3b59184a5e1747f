// delivery_receipt.lua on a real redis-server, one message at a time:
// receipts that arrive twice or out of order end in the right final state
// and are counted once; a final state is never overwritten, not even by
// another final one; a receipt for a message sent with another id, or never
// sent, changes nothing; the delivery hash takes the campaign's expiry; a
// receipt that comes while the send is under way waits for the outcome.
#include "store/delivery_receipts.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "store/campaign_counters.h"
#include "store/campaign_data.h"
#include "store/scripts.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "support/redis_server.h"

using namespace broadcaster;
using store::ReceiptResult;
using store::ReceiptUpdate;

namespace {

constexpr const char* kPhone = "+15595550142";

ReceiptUpdate update(const std::string& state, const std::string& code = "", const std::string& sid = "SM1") {
  const bool final = state != "sent";
  return ReceiptUpdate{"c1", kPhone, sid, state, final ? 2 : 1, final, code};
}

long long counter(store::RedisClient& redis, const store::Keys& keys, std::string_view name) {
  const auto v = redis.command({"HGET", keys.campaign_stats("c1"), std::string(name)});
  return v.is_nil() ? 0 : std::stoll(v.as_string());
}

}  // namespace

TEST_CASE("receipts move a message forward only and count its final state once") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  redis.command({"HSET", keys.campaign_outcome("c1"), kPhone, "sent:SM1"});

  struct Step {
    ReceiptUpdate receipt;
    ReceiptResult expected;
  };
  SECTION("in order: sent, then undelivered with its code") {
    for (const Step& s : std::vector<Step>{{update("sent"), ReceiptResult::Progress},
                                           {update("undelivered", "30003"), ReceiptResult::Final}}) {
      CHECK(store::apply_receipt(redis, keys, s.receipt) == s.expected);
    }
    CHECK(counter(redis, keys, store::counters::kUndelivered) == 1);
    CHECK(counter(redis, keys, "error:30003") == 1);
  }
  SECTION("out of order and twice: delivered, sent, delivered, failed") {
    for (const Step& s : std::vector<Step>{{update("delivered"), ReceiptResult::Final},
                                           {update("sent"), ReceiptResult::Stale},
                                           {update("delivered"), ReceiptResult::Stale},
                                           {update("failed", "30008"), ReceiptResult::Stale}}) {
      CHECK(store::apply_receipt(redis, keys, s.receipt) == s.expected);
    }
    CHECK(counter(redis, keys, store::counters::kDelivered) == 1);
    CHECK(counter(redis, keys, store::counters::kDeliveryFailed) == 0);
    CHECK(counter(redis, keys, "error:30008") == 0);
    // rank, state, code, then the time (Unix ms) it got there.
    CHECK_THAT(redis.command({"HGET", keys.campaign_delivery("c1"), kPhone}).as_string(),
               Catch::Matches("2:delivered::[0-9]{13}"));
  }
  SECTION("another id or an unknown message changes nothing") {
    CHECK(store::apply_receipt(redis, keys, update("delivered", "", "SM2")) == ReceiptResult::Unknown);
    ReceiptUpdate stranger = update("delivered");
    stranger.phone = "+15595550143";
    CHECK(store::apply_receipt(redis, keys, stranger) == ReceiptResult::Unknown);
    CHECK(counter(redis, keys, store::counters::kDelivered) == 0);
    CHECK(redis.command({"EXISTS", keys.campaign_delivery("c1")}).as_integer() == 0);
  }
  SECTION("the delivery hash expires with the campaign's other per-message data") {
    redis.command({"PEXPIRE", keys.campaign_outcome("c1"), "600000"});
    CHECK(store::apply_receipt(redis, keys, update("sent")) == ReceiptResult::Progress);
    const long long ttl = redis.command({"PTTL", keys.campaign_delivery("c1")}).as_integer();
    CHECK(ttl > 0);
    CHECK(ttl <= 600000);
  }
}

TEST_CASE("a final receipt is counted for the language kept with the outcome too") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  namespace c = store::counters;
  SECTION("an outcome with its language: the language's counter moves with the total") {
    redis.command({"HSET", keys.campaign_outcome("c1"), kPhone, "sent:SM1|es|1796200000000"});
    CHECK(store::apply_receipt(redis, keys, update("undelivered", "30003")) == ReceiptResult::Final);
    CHECK(counter(redis, keys, c::kUndelivered) == 1);
    CHECK(counter(redis, keys, c::by_language("es", c::kUndelivered)) == 1);
    // Once: a repeated receipt is stale for the language as for the total.
    CHECK(store::apply_receipt(redis, keys, update("undelivered", "30003")) == ReceiptResult::Stale);
    CHECK(counter(redis, keys, c::by_language("es", c::kUndelivered)) == 1);
  }
  SECTION("the id must match whole: a longer id with the same start is another message") {
    redis.command({"HSET", keys.campaign_outcome("c1"), kPhone, "sent:SM12|es|1796200000000"});
    CHECK(store::apply_receipt(redis, keys, update("delivered")) == ReceiptResult::Unknown);
    CHECK(counter(redis, keys, c::kDelivered) == 0);
  }
  SECTION("a provider id with pattern characters is compared as text") {
    redis.command({"HSET", keys.campaign_outcome("c1"), kPhone, "sent:a.b%-(1)|en|1796200000000"});
    CHECK(store::apply_receipt(redis, keys, update("delivered", "", "a.b%-(1)")) == ReceiptResult::Final);
    CHECK(counter(redis, keys, c::by_language("en", c::kDelivered)) == 1);
  }
  SECTION("an outcome stored before languages were kept counts in the totals only") {
    redis.command({"HSET", keys.campaign_outcome("c1"), kPhone, "sent:SM1"});
    CHECK(store::apply_receipt(redis, keys, update("delivered")) == ReceiptResult::Final);
    CHECK(counter(redis, keys, c::kDelivered) == 1);
    const auto fields = redis.command({"HKEYS", keys.campaign_stats("c1")}).as_array();
    for (const auto& f : fields) CHECK_FALSE(f.as_string().starts_with(c::kLanguagePrefix));
  }
}

TEST_CASE("a receipt that comes before the send is recorded is kept, then applied with the outcome") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  const std::string group(store::kConsumerGroup);
  redis.command({"SADD", keys.campaign_enqueued("c1"), kPhone});
  redis.command({"XGROUP", "CREATE", keys.campaign_queue("c1"), group, "0", "MKSTREAM"});
  const std::string entry =
      redis.command({"XADD", keys.campaign_queue("c1"), "*", "to", kPhone, "campaign", "c1", "body", "x"}).as_string();
  (void)redis.command({"XREADGROUP", "GROUP", group, "a", "COUNT", "1", "STREAMS", keys.campaign_queue("c1"), ">"});
  const auto record = [&](const std::string& outcome, std::vector<std::string> counters) {
    const auto call = store::record_outcome_call(keys, "c1", entry, kPhone, outcome, "es", counters);
    return redis.eval(store::scripts().record_outcome, call.first, call.second).as_array().at(0).as_integer();
  };

  SECTION("no send under way: ignored") {
    CHECK(store::apply_receipt(redis, keys, update("delivered")) == ReceiptResult::Unknown);
    CHECK(redis.command({"HLEN", keys.campaign_early_receipts("c1")}).as_integer() == 0);
  }
  SECTION("while the send is under way: kept, the final one over the progress one, applied once recorded") {
    const auto begin = store::send_begin_call(keys, "c1", kPhone, 1000, "a#1", "");
    (void)redis.eval(store::scripts().send_begin, begin.first, begin.second);
    CHECK(store::apply_receipt(redis, keys, update("undelivered", "30007")) == ReceiptResult::Early);
    CHECK(store::apply_receipt(redis, keys, update("sent")) == ReceiptResult::Early);
    CHECK(counter(redis, keys, store::counters::kUndelivered) == 0);  // not before the message is recorded
    CHECK(record("sent:SM1", {std::string(store::counters::kSent)}) == 1);
    CHECK(counter(redis, keys, store::counters::kUndelivered) == 1);
    CHECK(counter(redis, keys, "lang:es:undelivered") == 1);
    CHECK(counter(redis, keys, "error:30007") == 1);
    CHECK_THAT(redis.command({"HGET", keys.campaign_delivery("c1"), kPhone}).as_string(),
               Catch::StartsWith("2:undelivered:30007:"));
    CHECK(redis.command({"HLEN", keys.campaign_early_receipts("c1")}).as_integer() == 0);
    // The same receipt again, now that the outcome is there: a duplicate.
    CHECK(store::apply_receipt(redis, keys, update("undelivered", "30007")) == ReceiptResult::Stale);
    CHECK(counter(redis, keys, store::counters::kUndelivered) == 1);
  }
  SECTION("a receipt for another id than the one recorded is dropped with the outcome") {
    const auto begin = store::send_begin_call(keys, "c1", kPhone, 1000, "a#1", "");
    (void)redis.eval(store::scripts().send_begin, begin.first, begin.second);
    CHECK(store::apply_receipt(redis, keys, update("delivered", "", "SM7")) == ReceiptResult::Early);
    CHECK(record("sent:SM1", {std::string(store::counters::kSent)}) == 1);
    CHECK(counter(redis, keys, store::counters::kDelivered) == 0);
    CHECK(redis.command({"HEXISTS", keys.campaign_delivery("c1"), kPhone}).as_integer() == 0);
    CHECK(redis.command({"HLEN", keys.campaign_early_receipts("c1")}).as_integer() == 0);
  }
}

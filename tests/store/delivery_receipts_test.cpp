// delivery_receipt.lua on a real redis-server, one message at a time:
// receipts that arrive twice or out of order end in the right final state
// and are counted once; a final state is never overwritten, not even by
// another final one; a receipt for a message sent with another id, or never
// sent, changes nothing; the delivery hash takes the campaign's expiry.
#include "store/delivery_receipts.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "store/campaign_counters.h"
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

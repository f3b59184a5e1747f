// ScriptStream on a real redis-server: every call runs once and answers
// once, through a window, a SCRIPT FLUSH and a caller that gives up.
#include "store/script_stream.h"

#include <catch2/catch.hpp>
#include <map>
#include <stdexcept>
#include <string>

#include "store/script.h"
#include "support/redis_server.h"

namespace broadcaster::store {
namespace {

// Counts its runs in KEYS[1] and answers its call's number, or an error
// when the number is "bad".
const Script kCounted("counted", R"(
if ARGV[1] == 'bad' then return redis.error_reply('ERR bad call') end
redis.call('INCR', KEYS[1])
return tonumber(ARGV[1])
)");

RedisClient::ScriptCall call(int n) { return {{"runs"}, {std::to_string(n)}}; }

TEST_CASE("a stream hands back each call's reply once, in order, whatever the window") {
  testing::RedisServer server;
  RedisClient redis(server.endpoint());
  for (const std::size_t window : {std::size_t{1}, std::size_t{4}, std::size_t{64}}) {
    DYNAMIC_SECTION("window " << window) {
      std::map<std::size_t, long long> replies;
      std::size_t order_errors = 0;
      ScriptStream stream(redis, kCounted, window, [&](std::size_t index, const RedisValue& r) {
        if (!replies.empty() && index != replies.rbegin()->first + 1) ++order_errors;
        replies[index] = r.as_integer();
      });
      for (int i = 0; i < 100; ++i) stream.send(call(i));
      // No more than the window waits unanswered.
      CHECK(replies.size() >= 100 - window);
      stream.finish();
      REQUIRE(replies.size() == 100);
      for (const auto& [index, value] : replies) CHECK(value == static_cast<long long>(index));
      CHECK(order_errors == 0);
      CHECK(redis.command({"GET", "runs"}).as_string() == "100");
      (void)redis.command({"DEL", "runs"});
    }
  }
}

TEST_CASE("calls that meet a SCRIPT FLUSH are sent again with the text and run once each") {
  testing::RedisServer server;
  RedisClient redis(server.endpoint());
  RedisClient other(server.endpoint());
  std::map<std::size_t, long long> replies;
  ScriptStream stream(redis, kCounted, 8,
                      [&](std::size_t index, const RedisValue& r) { replies[index] = r.as_integer(); });
  // Redis forgets the script between the stream's SCRIPT LOAD and its calls.
  (void)other.command({"SCRIPT", "FLUSH"});
  for (int i = 0; i < 20; ++i) stream.send(call(i));
  stream.finish();
  REQUIRE(replies.size() == 20);
  for (const auto& [index, value] : replies) CHECK(value == static_cast<long long>(index));
  CHECK(redis.command({"GET", "runs"}).as_string() == "20");
}

TEST_CASE("a script error is a reply, and a caller that throws leaves the connection in step") {
  testing::RedisServer server;
  RedisClient redis(server.endpoint());
  std::size_t errors = 0;
  {
    ScriptStream stream(redis, kCounted, 4, [&](std::size_t, const RedisValue& r) {
      if (r.is_error()) {
        ++errors;
        CHECK(r.str.find("bad call") != std::string::npos);
        throw std::runtime_error("the caller gives up");
      }
    });
    stream.send(call(1));
    stream.send({{"runs"}, {"bad"}});
    stream.send(call(3));
    stream.send(call(4));
    CHECK_THROWS_AS(stream.finish(), std::runtime_error);
  }  // the rest is read and dropped here
  CHECK(errors == 1);
  // The next command gets its own reply, not a stale one of the stream's.
  CHECK(redis.command({"PING"}).as_string() == "PONG");
  CHECK(redis.command({"GET", "runs"}).as_string() == "3");
}

}  // namespace
}  // namespace broadcaster::store

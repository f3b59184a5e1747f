// RedisClient against a real redis-server: values, errors, pipelines, scripts.
#include "store/redis_client.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/redis_server.h"
#include "util/errors.h"

namespace broadcaster::store {
namespace {

using namespace std::string_literals;

// Every byte value, repeated to 1 MiB.
std::string all_bytes() {
  std::string s;
  s.reserve(1 << 20);
  for (int i = 0; i < (1 << 20); ++i) s.push_back(static_cast<char>(i & 0xff));
  return s;
}

TEST_CASE("values round-trip byte for byte", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  struct Case {
    const char* label;
    std::string key;
    std::string value;
  };
  const std::vector<Case> cases = {
      {"embedded NUL in key and value", "k\0ey"s, "a\0b\0"s},
      {"UTF-8",
       "campa\xc3\xb1"
       "a",
       "\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87"},
      {"RESP framing characters", "k\r\n$3", "*1\r\n$-1\r\n+OK\r\n"},
      {"empty value", "empty", ""},
      {"1 MiB of every byte value", "big", all_bytes()},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK(client.command({"SET", c.key, c.value}).as_string() == "OK");
      const RedisValue got = client.command({"GET", c.key});
      CHECK(got.type == RedisValue::Type::String);
      CHECK(got.as_string() == c.value);
    }
  }
}

TEST_CASE("hashes read back as maps, missing keys as nil", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  client.command({"HSET", "h", "sent", "3", "name", "Se\xc3\xb1or"});
  CHECK(client.command({"HGETALL", "h"}).as_map() ==
        std::map<std::string, std::string>{{"sent", "3"}, {"name", "Se\xc3\xb1or"}});
  CHECK(client.command({"HGET", "h", "sent"}).as_integer() == 3);
  CHECK(client.command({"GET", "missing"}).as_optional_string() == std::nullopt);
  CHECK(client.command({"HGETALL", "missing"}).as_map().empty());
}

TEST_CASE("connection refused names the address and what to do", "[redis_client]") {
  const testing::RefusingPort refusing;
  RedisEndpoint endpoint;
  endpoint.port = refusing.port();
  endpoint.password = "hunter2-secret";
  const std::string address = "127.0.0.1:" + std::to_string(refusing.port());
  CHECK_THROWS_AS(RedisClient(endpoint), RedisIoError);
  CHECK_THROWS_WITH(RedisClient(endpoint),
                    Catch::Contains("cannot connect to Redis at " + address) &&
                        Catch::Contains("Connection refused") &&
                        Catch::Contains("is redis-server running?") &&
                        !Catch::Contains("hunter2-secret"));
}

TEST_CASE("an error reply throws RedisReplyError naming the command", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  client.command({"SET", "text", "+15595550142"});
  CHECK_THROWS_AS(client.command({"INCR", "text"}), RedisReplyError);
  CHECK_THROWS_WITH(client.command({"incr", "text"}), Catch::Contains("rejected INCR") &&
                                                          Catch::Contains("not an integer") &&
                                                          !Catch::Contains("5595550142"));
  // The connection is still usable after an error reply.
  CHECK(client.command({"PING"}).as_string() == "PONG");
}

TEST_CASE("pipeline returns error replies per command instead of throwing", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  const auto replies = client.pipeline({
      {"SET", "n", "1"},
      {"INCR", "n"},
      {"HGET", "n", "field"},  // WRONGTYPE
      {"INCRBY", "n", "not-a-number"},
      {"GET", "n"},
  });
  REQUIRE(replies.size() == 5);
  CHECK(replies[0] == RedisValue::status("OK"));
  CHECK(replies[1] == RedisValue::integer_value(2));
  CHECK(replies[2].is_error());
  CHECK_THAT(replies[2].str, Catch::StartsWith("WRONGTYPE"));
  CHECK(replies[3].is_error());
  CHECK(replies[4].as_integer() == 2);
  CHECK(client.pipeline({}).empty());
}

TEST_CASE("eval runs scripts and falls back to EVAL after NOSCRIPT", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  const Script echo("echo", "redis.call('SET', KEYS[1], ARGV[1]) return {KEYS[1], ARGV[1]}");

  // Never loaded: EVALSHA answers NOSCRIPT, EVAL runs and caches it.
  auto reply = client.eval(echo, {"k\0"s}, {"\xc3\x9anete\0"s});
  CHECK(reply ==
        RedisValue::array({RedisValue::string("k\0"s), RedisValue::string("\xc3\x9anete\0"s)}));
  CHECK(client.command({"SCRIPT", "EXISTS", echo.sha1()}).as_array().at(0).as_integer() == 1);

  // A restart or SCRIPT FLUSH forgets it; eval still works.
  client.command({"SCRIPT", "FLUSH"});
  reply = client.eval(echo, {"k2"}, {"v2"});
  CHECK(reply.as_array().at(1).as_string() == "v2");
  CHECK(client.command({"GET", "k2"}).as_string() == "v2");
}

TEST_CASE("a script error throws RedisReplyError naming the script", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  const Script failing("enqueue", "return redis.error_reply('ERR campaign is paused')");
  CHECK_THROWS_AS(client.eval(failing, {}, {}), RedisReplyError);
  CHECK_THROWS_WITH(client.eval(failing, {}, {}),
                    Catch::Contains("script 'enqueue'") && Catch::Contains("campaign is paused"));
}

TEST_CASE("eval_pipeline runs every call and reports errors per call", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  const Script add("add",
                   "if ARGV[1] == 'boom' then return redis.error_reply('ERR bad row') end "
                   "return redis.call('INCRBY', KEYS[1], ARGV[1])");
  std::vector<RedisClient::ScriptCall> calls;
  for (int i = 1; i <= 100; ++i) calls.push_back({{"total"}, {"1"}});
  calls[50] = {{"total"}, {"boom"}};
  client.command({"SCRIPT", "FLUSH"});

  const auto replies = client.eval_pipeline(add, calls);
  REQUIRE(replies.size() == 100);
  CHECK(replies[0].as_integer() == 1);
  CHECK(replies[49].as_integer() == 50);
  CHECK(replies[50].is_error());
  CHECK_THAT(replies[50].str, Catch::Contains("bad row"));
  CHECK(replies[99].as_integer() == 99);
  CHECK(client.command({"GET", "total"}).as_integer() == 99);
  CHECK(client.eval_pipeline(add, {}).empty());
}

TEST_CASE("AUTH and SELECT come from the endpoint", "[redis_client]") {
  testing::RedisServerOptions options;
  options.password = "s3cret-pw";
  testing::RedisServer server(options);

  SECTION("right password and a database") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.db = 5;
    RedisClient in_db5(endpoint);
    in_db5.command({"SET", "where", "db5"});
    RedisClient in_db0(server.endpoint());
    CHECK(in_db0.command({"GET", "where"}).is_nil());
    CHECK(in_db5.command({"GET", "where"}).as_string() == "db5");
  }
  SECTION("no password: commands say to set redis.password") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.password.clear();
    RedisClient client(endpoint);
    CHECK_THROWS_WITH(client.command({"GET", "x"}),
                      Catch::Contains("NOAUTH") && Catch::Contains("set redis.password"));
  }
  SECTION("wrong password: rejected without revealing it") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.password = "wrong-pw-123";
    CHECK_THROWS_AS(RedisClient(endpoint), RedisReplyError);
    CHECK_THROWS_WITH(RedisClient(endpoint), Catch::Contains("rejected AUTH") &&
                                                 Catch::Contains("check redis.password") &&
                                                 !Catch::Contains("wrong-pw-123"));
  }
  SECTION("database out of range") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.db = 99;
    CHECK_THROWS_WITH(RedisClient(endpoint), Catch::Contains("check redis.db"));
  }
}

TEST_CASE("a reply slower than command_timeout throws RedisIoError", "[redis_client]") {
  testing::RedisServer server;
  RedisEndpoint endpoint = server.endpoint();
  endpoint.command_timeout = std::chrono::milliseconds(200);
  RedisClient client(endpoint);
  CHECK_THROWS_AS(client.command({"BLPOP", "never-pushed", "0"}), RedisIoError);
  // The connection is now unusable and says so at once.
  CHECK_THROWS_AS(client.command({"PING"}), RedisIoError);
  CHECK_THROWS_WITH(client.command({"PING"}), Catch::Contains("connection already failed"));
  RedisClient fresh(endpoint);
  CHECK_THROWS_WITH(fresh.command({"BLPOP", "never-pushed", "0"}),
                    Catch::Contains("did not answer within 200 ms") &&
                        Catch::Contains("run BLPOP on Redis at " + endpoint.describe()));
}

TEST_CASE("a killed server gives RedisIoError, not a crash", "[redis_client]") {
  testing::RedisServer server;
  RedisClient client(server.endpoint());
  CHECK(client.command({"PING"}).as_string() == "PONG");
  server.kill9();
  CHECK_THROWS_AS(client.command({"PING"}), RedisIoError);
  CHECK_THROWS_AS(client.pipeline({{"PING"}, {"PING"}}), RedisIoError);
}

TEST_CASE("with AOF, acknowledged writes survive kill -9 and restart", "[redis_client]") {
  testing::RedisServerOptions options;
  options.appendonly = true;
  testing::RedisServer server(options);
  {
    RedisClient client(server.endpoint());
    client.command({"HSET", "campaign", "sent", "41"});
    client.command({"HINCRBY", "campaign", "sent", "1"});
  }
  server.kill9();
  CHECK_FALSE(server.running());
  server.restart();
  RedisClient client(server.endpoint());
  CHECK(client.command({"HGET", "campaign", "sent"}).as_integer() == 42);
  server.flushall();
  CHECK(client.command({"EXISTS", "campaign"}).as_integer() == 0);
}

TEST_CASE("a moved client works and the moved-from one refuses", "[redis_client]") {
  testing::RedisServer server;
  RedisClient first(server.endpoint());
  RedisClient second(std::move(first));
  CHECK(second.command({"PING"}).as_string() == "PONG");
  CHECK(second.endpoint().port == server.port());
  CHECK_THROWS_AS(first.command({"PING"}), RedisIoError);  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace broadcaster::store

// AsyncRedis against a real redis-server: pipelining, scripts, failures and
// object lifetimes. Tests drive the io_context until a condition holds; the
// deadline only bounds failure, nothing waits a fixed time.
#include "store/async_redis.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/redis_client.h"
#include "support/redis_server.h"
#include "util/errors.h"

namespace broadcaster::store {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

// Runs `io` until `done()` holds; false if the deadline passes first or the
// io_context runs out of work.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io.run_one_for(10ms);
    if (io.stopped()) {
      io.restart();
      if (!done()) return false;
    }
  }
  return true;
}

// What one callback received.
struct Outcome {
  int calls = 0;
  std::exception_ptr error;
  RedisValue value;

  AsyncRedis::Callback callback() {
    return [this](std::exception_ptr e, RedisValue v) {
      ++calls;
      error = std::move(e);
      value = std::move(v);
    };
  }
};

// A connected client, or a failed test.
std::shared_ptr<AsyncRedis> connect(boost::asio::io_context& io, const RedisEndpoint& endpoint) {
  auto client = AsyncRedis::create(io, endpoint);
  bool done = false;
  std::exception_ptr error;
  client->connect([&](std::exception_ptr e) {
    done = true;
    error = std::move(e);
  });
  REQUIRE(run_until(io, [&] { return done; }));
  if (error) std::rethrow_exception(error);
  REQUIRE(client->connected());
  return client;
}

// Waits until Redis reports `n` clients blocked in BLPOP and friends.
bool blocked_clients_reach(boost::asio::io_context& io, RedisClient& observer, int n) {
  const std::string needle = "blocked_clients:" + std::to_string(n) + "\r\n";
  return run_until(io, [&] {
    return observer.command({"INFO", "clients"}).as_string().find(needle) != std::string::npos;
  });
}

TEST_CASE("async values round-trip byte for byte", "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());
  struct Case {
    const char* label;
    std::string key;
    std::string value;
  };
  const std::vector<Case> cases = {
      {"embedded NUL", "k\0"s, "a\0b"s},
      {"UTF-8", "msg", "\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87"},
      {"empty", "empty", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      Outcome set;
      Outcome get;
      client->command({"SET", c.key, c.value}, set.callback());
      client->command({"GET", c.key}, get.callback());
      REQUIRE(run_until(io, [&] { return get.calls == 1; }));
      CHECK(set.calls == 1);
      CHECK_FALSE(get.error);
      CHECK(get.value == RedisValue::string(c.value));
    }
  }
}

TEST_CASE("1000 commands in flight are all answered, in order", "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());
  std::vector<long long> answers;
  for (int i = 0; i < 1000; ++i) {
    client->command({"INCR", "counter"}, [&](std::exception_ptr e, RedisValue v) {
      REQUIRE_FALSE(e);
      answers.push_back(v.as_integer());
    });
  }
  CHECK(client->pending() == 1000);
  CHECK(answers.empty());  // callbacks never run inside command()
  REQUIRE(run_until(io, [&] { return answers.size() == 1000; }));
  for (std::size_t i = 0; i < answers.size(); ++i)
    REQUIRE(answers[i] == static_cast<long long>(i + 1));
  CHECK(client->pending() == 0);
}

TEST_CASE("an async error reply gives RedisReplyError and the connection keeps working",
          "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());
  Outcome incr;
  Outcome ping;
  client->command({"SET", "text", "abc"}, nullptr);
  client->command({"INCR", "text"}, incr.callback());
  client->command({"PING"}, ping.callback());
  REQUIRE(run_until(io, [&] { return ping.calls == 1; }));
  REQUIRE(incr.error);
  CHECK_THROWS_AS(std::rethrow_exception(incr.error), RedisReplyError);
  CHECK_THROWS_WITH(std::rethrow_exception(incr.error),
                    Catch::Contains("rejected INCR") && Catch::Contains("not an integer"));
  CHECK(incr.value.is_nil());
  CHECK(ping.value == RedisValue::status("PONG"));
}

TEST_CASE("async eval falls back to EVAL after NOSCRIPT", "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());
  RedisClient admin(server.endpoint());
  const Script add("add", "return redis.call('INCRBY', KEYS[1], ARGV[1])");
  const Script failing("guard", "return redis.error_reply('ERR quiet hours')");

  Outcome first;
  client->eval(add, {"total"}, {"5"}, first.callback());  // never loaded: NOSCRIPT, then EVAL
  REQUIRE(run_until(io, [&] { return first.calls == 1; }));
  CHECK_FALSE(first.error);
  CHECK(first.value.as_integer() == 5);

  admin.command({"SCRIPT", "FLUSH"});
  std::vector<Outcome> many(20);
  for (auto& o : many) client->eval(add, {"total"}, {"1"}, o.callback());
  Outcome guarded;
  client->eval(failing, {}, {}, guarded.callback());
  REQUIRE(run_until(io, [&] { return guarded.calls == 1 && many.back().calls == 1; }));
  long long highest = 0;
  for (const auto& o : many) {
    REQUIRE_FALSE(o.error);
    highest = std::max(highest, o.value.as_integer());
  }
  CHECK(highest == 25);
  CHECK_THROWS_WITH(std::rethrow_exception(guarded.error),
                    Catch::Contains("script 'guard'") && Catch::Contains("quiet hours"));
  CHECK(admin.command({"GET", "total"}).as_integer() == 25);
}

TEST_CASE("async connection refused names the address and later commands fail fast",
          "[async_redis]") {
  const testing::RefusingPort refusing;
  RedisEndpoint endpoint;
  endpoint.port = refusing.port();
  boost::asio::io_context io;
  auto client = AsyncRedis::create(io, endpoint);
  int calls = 0;
  std::exception_ptr error;
  client->connect([&](std::exception_ptr e) {
    ++calls;
    error = std::move(e);
  });
  Outcome later;
  client->command({"PING"}, later.callback());
  REQUIRE(run_until(io, [&] { return calls == 1 && later.calls == 1; }));
  REQUIRE(error);
  CHECK_THROWS_AS(std::rethrow_exception(error), RedisIoError);
  CHECK_THROWS_WITH(std::rethrow_exception(error),
                    Catch::Contains("cannot connect to Redis at " + endpoint.describe()) &&
                        Catch::Contains("is redis-server running?"));
  CHECK_THROWS_AS(std::rethrow_exception(later.error), RedisIoError);
  CHECK_FALSE(client->connected());

  Outcome after;
  client->command({"PING"}, after.callback());
  CHECK(after.calls == 0);
  REQUIRE(run_until(io, [&] { return after.calls == 1; }));
  CHECK_THROWS_AS(std::rethrow_exception(after.error), RedisIoError);
}

TEST_CASE("a peer that accepts but never answers fails connect after connect_timeout",
          "[async_redis]") {
  // Listening, never accepting: the kernel completes the TCP handshake, but
  // AUTH is never answered.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 8) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);

  RedisEndpoint endpoint;
  endpoint.port = ntohs(addr.sin_port);
  endpoint.password = "pw";
  endpoint.connect_timeout = 300ms;
  boost::asio::io_context io;
  auto client = AsyncRedis::create(io, endpoint);
  std::exception_ptr error;
  bool done = false;
  client->connect([&](std::exception_ptr e) {
    done = true;
    error = std::move(e);
  });
  Outcome queued;
  client->command({"PING"}, queued.callback());
  const bool finished = run_until(io, [&] { return done && queued.calls == 1; });
  ::close(fd);
  REQUIRE(finished);
  CHECK_THROWS_AS(std::rethrow_exception(error), RedisIoError);
  CHECK_THROWS_WITH(std::rethrow_exception(error),
                    Catch::Contains("cannot connect to Redis at " + endpoint.describe()) &&
                        Catch::Contains("nothing answered within 300 ms"));
  CHECK_THROWS_AS(std::rethrow_exception(queued.error), RedisIoError);
}

TEST_CASE("a killed server fails pending and later commands with RedisIoError", "[async_redis]") {
  testing::RedisServer server;
  RedisClient observer(server.endpoint());
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());

  std::vector<Outcome> pending(5);
  client->command({"BLPOP", "never-pushed", "0"}, pending[0].callback());
  for (std::size_t i = 1; i < pending.size(); ++i) {
    client->command({"GET", "k" + std::to_string(i)}, pending[i].callback());
  }
  REQUIRE(blocked_clients_reach(io, observer, 1));  // the BLPOP reached the server
  CHECK(client->pending() == 5);

  server.kill9();
  REQUIRE(run_until(io, [&] { return pending.back().calls == 1; }));
  for (const auto& o : pending) {
    CHECK(o.calls == 1);
    CHECK_THROWS_AS(std::rethrow_exception(o.error), RedisIoError);
    CHECK_THROWS_WITH(std::rethrow_exception(o.error),
                      Catch::Contains("Redis at " + server.endpoint().describe()));
  }
  CHECK(client->pending() == 0);
  CHECK_FALSE(client->connected());

  Outcome later;
  client->command({"PING"}, later.callback());
  REQUIRE(run_until(io, [&] { return later.calls == 1; }));
  CHECK_THROWS_AS(std::rethrow_exception(later.error), RedisIoError);
}

TEST_CASE("a reply slower than command_timeout drops the connection", "[async_redis]") {
  testing::RedisServer server;
  RedisEndpoint endpoint = server.endpoint();
  endpoint.command_timeout = 300ms;
  boost::asio::io_context io;
  auto client = connect(io, endpoint);
  Outcome blocked;
  Outcome behind;
  client->command({"BLPOP", "never-pushed", "0"}, blocked.callback());
  client->command({"PING"}, behind.callback());
  REQUIRE(run_until(io, [&] { return behind.calls == 1; }));
  CHECK_THROWS_AS(std::rethrow_exception(blocked.error), RedisIoError);
  CHECK_THROWS_WITH(
      std::rethrow_exception(blocked.error),
      Catch::Contains("reply to BLPOP") && Catch::Contains("did not answer within 300 ms"));
  CHECK_THROWS_AS(std::rethrow_exception(behind.error), RedisIoError);
  CHECK_FALSE(client->connected());
}

TEST_CASE("a callback may destroy the client while others are pending", "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto holder = connect(io, server.endpoint());
  std::weak_ptr<AsyncRedis> weak = holder;

  Outcome blocked;
  Outcome behind;
  bool first_called = false;
  holder->command({"PING"}, [&](std::exception_ptr, RedisValue) {
    first_called = true;
    holder.reset();  // the last reference
  });
  holder->command({"BLPOP", "never-pushed", "5"}, blocked.callback());
  holder->command({"GET", "x"}, behind.callback());
  REQUIRE(run_until(io, [&] { return first_called && behind.calls == 1; }));
  CHECK(weak.expired());
  CHECK(blocked.calls == 1);
  CHECK_THROWS_AS(std::rethrow_exception(blocked.error), RedisIoError);
  CHECK_THROWS_WITH(std::rethrow_exception(blocked.error),
                    Catch::Contains("connection was closed"));
  CHECK_THROWS_AS(std::rethrow_exception(behind.error), RedisIoError);
}

TEST_CASE("close() lets pending replies arrive, then refuses commands", "[async_redis]") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto client = connect(io, server.endpoint());
  std::vector<Outcome> before(10);
  for (auto& o : before) client->command({"INCR", "n"}, o.callback());
  client->close();
  Outcome after;
  client->command({"PING"}, after.callback());
  REQUIRE(run_until(io, [&] { return before.back().calls == 1 && after.calls == 1; }));
  for (std::size_t i = 0; i < before.size(); ++i) {
    REQUIRE_FALSE(before[i].error);
    CHECK(before[i].value.as_integer() == static_cast<long long>(i + 1));
  }
  CHECK_THROWS_AS(std::rethrow_exception(after.error), RedisIoError);
  REQUIRE(run_until(io, [&] { return !client->connected() && client->pending() == 0; }));
  client->close();  // twice is harmless
}

TEST_CASE("destroying the io_context with work pending neither crashes nor leaks",
          "[async_redis]") {
  testing::RedisServer server;
  std::weak_ptr<AsyncRedis> weak;
  int calls = 0;
  {
    boost::asio::io_context io;
    auto client = connect(io, server.endpoint());
    weak = client;
    // Callbacks that own the client form a cycle only shutdown can break.
    client->command({"BLPOP", "never-pushed", "5"},
                    [client, &calls](std::exception_ptr, RedisValue) { ++calls; });
    client->command({"PING"}, [client, &calls](std::exception_ptr, RedisValue) { ++calls; });
    client->eval(Script("s", "return 1"), {}, {},
                 [client, &calls](std::exception_ptr, RedisValue) { ++calls; });
    io.poll();  // send them
    CHECK(client->pending() == 3);
  }
  CHECK(weak.expired());
  CHECK(calls == 0);  // destroyed uncalled, as Asio does with handlers
}

TEST_CASE("async AUTH and SELECT come from the endpoint", "[async_redis]") {
  testing::RedisServerOptions options;
  options.password = "s3cret-pw";
  testing::RedisServer server(options);
  boost::asio::io_context io;

  SECTION("right password, database 3, commands queued before the connect finishes") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.db = 3;
    auto client = AsyncRedis::create(io, endpoint);
    bool connected = false;
    client->connect([&](std::exception_ptr e) {
      REQUIRE_FALSE(e);
      connected = true;
    });
    Outcome set;
    client->command({"SET", "where", "db3"}, set.callback());
    REQUIRE(run_until(io, [&] { return connected && set.calls == 1; }));
    CHECK_FALSE(set.error);
    RedisClient in_db3(endpoint);
    CHECK(in_db3.command({"GET", "where"}).as_string() == "db3");
  }
  SECTION("wrong password: connect fails without revealing it") {
    RedisEndpoint endpoint = server.endpoint();
    endpoint.password = "wrong-pw-123";
    auto client = AsyncRedis::create(io, endpoint);
    std::exception_ptr error;
    bool done = false;
    client->connect([&](std::exception_ptr e) {
      done = true;
      error = std::move(e);
    });
    Outcome queued;
    client->command({"GET", "x"}, queued.callback());
    REQUIRE(run_until(io, [&] { return done && queued.calls == 1; }));
    REQUIRE(error);
    CHECK_THROWS_AS(std::rethrow_exception(error), RedisReplyError);
    CHECK_THROWS_WITH(std::rethrow_exception(error), Catch::Contains("rejected AUTH") &&
                                                         Catch::Contains("check redis.password") &&
                                                         !Catch::Contains("wrong-pw-123"));
    CHECK(queued.error);
    CHECK_FALSE(client->connected());
  }
}

TEST_CASE("commands before connect() fail fast on the io_context", "[async_redis]") {
  boost::asio::io_context io;
  auto client = AsyncRedis::create(io, RedisEndpoint{});
  Outcome early;
  client->command({"PING"}, early.callback());
  CHECK(early.calls == 0);
  REQUIRE(run_until(io, [&] { return early.calls == 1; }));
  CHECK_THROWS_WITH(std::rethrow_exception(early.error),
                    Catch::Contains("connect() was not called"));
}

}  // namespace
}  // namespace broadcaster::store

// RedisLink against a real redis-server that is killed and started again:
// the link goes down once, fails commands fast meanwhile, and comes back.
#include "store/redis_link.h"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <functional>

#include "store/redis_errors.h"
#include "support/redis_server.h"
#include "util/errors.h"

namespace broadcaster::store {
namespace {

using namespace std::chrono_literals;

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds limit = 20s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io.run_one_for(10ms);
    if (io.stopped()) io.restart();
  }
  return true;
}

}  // namespace

TEST_CASE("a RedisLink goes down when Redis dies and comes back when it restarts", "[redis_link]") {
  testing::RedisServerOptions options;
  options.appendonly = true;
  testing::RedisServer server(options);
  boost::asio::io_context io;
  auto link = RedisLink::create(io, server.endpoint(), RedisBackoff{10ms, 200ms});
  int ups = 0, downs = 0;
  link->start({[&] { ++ups; }, [&](const std::string&) { ++downs; }});
  REQUIRE(run_until(io, [&] { return ups == 1; }));
  CHECK(link->up());

  bool answered = false;
  link->command({"SET", "k", "v"}, [&](std::exception_ptr error, RedisValue) {
    CHECK_FALSE(error);
    answered = true;
  });
  REQUIRE(run_until(io, [&] { return answered; }));

  server.kill9();
  // The next command notices; the link goes down once however many fail.
  int failed = 0;
  for (int i = 0; i < 5; ++i) {
    link->command({"GET", "k"}, [&](std::exception_ptr error, RedisValue) {
      CHECK(is_unavailable(error));
      ++failed;
    });
  }
  REQUIRE(run_until(io, [&] { return failed == 5; }));
  CHECK(downs == 1);
  CHECK_FALSE(link->up());
  // While down, commands fail at once with RedisIoError.
  bool fast = false;
  link->command({"GET", "k"}, [&](std::exception_ptr error, RedisValue) { fast = is_unavailable(error); });
  REQUIRE(run_until(io, [&] { return fast; }));

  server.restart();
  REQUIRE(run_until(io, [&] { return ups == 2; }));
  CHECK(link->reconnects() == 1);
  std::string value;
  link->command({"GET", "k"}, [&](std::exception_ptr error, RedisValue v) {
    REQUIRE_FALSE(error);
    value = v.as_string();
  });
  REQUIRE(run_until(io, [&] { return !value.empty(); }));
  CHECK(value == "v");  // replayed from the AOF
  link->close();
}

TEST_CASE("LOADING and BUSY replies read as Redis being unavailable, BUSYGROUP does not", "[redis_link]") {
  const RedisEndpoint endpoint{};
  CHECK(is_unavailable(make_reply_error("GET", "LOADING Redis is loading the dataset in memory", endpoint)));
  CHECK(is_unavailable(make_reply_error("EVALSHA", "BUSY Redis is busy running a script", endpoint)));
  CHECK_FALSE(is_unavailable(make_reply_error("XGROUP", "BUSYGROUP Consumer Group name already exists", endpoint)));
  CHECK_FALSE(is_unavailable(make_reply_error("GET", "WRONGTYPE Operation against a key", endpoint)));
  CHECK_FALSE(is_unavailable(nullptr));
}

}  // namespace broadcaster::store

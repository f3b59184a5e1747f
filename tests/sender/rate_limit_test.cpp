// The shared GCRA rate limit, on a real redis-server with an injected clock:
// no waiting, no timed assertions.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <deque>
#include <vector>

#include "sender/rate_limit.h"
#include "store/async_redis.h"
#include "store/redis_client.h"
#include "store/scripts.h"
#include "support/redis_server.h"

using namespace broadcaster;

namespace {

struct Grant {
  long long granted;
  long long wait_us;
  std::vector<long long> delays_us;  // per slot granted: from now until it may be used
};

Grant ask(store::RedisClient& redis, const std::string& key, double per_second, int burst, int wanted, long long now_us,
          long long horizon_us = 0) {
  const auto r = redis.eval(store::scripts().gcra, {key},
                            {std::to_string(static_cast<long long>(1e6 / per_second)), std::to_string(burst),
                             std::to_string(wanted), std::to_string(now_us), std::to_string(horizon_us)});
  Grant g{r.as_array().at(0).as_integer(), r.as_array().at(1).as_integer(), {}};
  for (std::size_t i = 2; i < r.as_array().size(); ++i) g.delays_us.push_back(r.as_array()[i].as_integer());
  return g;
}

// The most slots in any sliding one-second window of sorted `times_us`.
std::size_t most_in_a_second(const std::vector<long long>& times_us) {
  std::size_t most = 0;
  for (std::size_t i = 0, j = 0; i < times_us.size(); ++i) {
    while (times_us[i] - times_us[j] >= 1'000'000) ++j;
    most = std::max(most, i - j + 1);
  }
  return most;
}

}  // namespace

TEST_CASE("a burst goes at once, then one message per interval") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const long long t0 = 1'700'000'000'000'000;
  auto g = ask(redis, "rl", 10, 3, 5, t0);
  CHECK(g.granted == 3);
  CHECK(g.wait_us == 100'000);
  g = ask(redis, "rl", 10, 3, 5, t0 + 50'000);
  CHECK(g.granted == 0);
  CHECK(g.wait_us == 50'000);
  g = ask(redis, "rl", 10, 3, 5, t0 + 100'000);
  CHECK(g.granted == 1);
  g = ask(redis, "rl", 10, 3, 1, t0 + 10'000'000);  // long idle: the burst is back, not more
  CHECK(g.granted == 1);
  CHECK(ask(redis, "rl", 10, 3, 5, t0 + 10'000'000).granted == 2);
}

TEST_CASE("two processes sharing a limit never exceed it in any sliding one-second window") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  constexpr double kRate = 50;
  constexpr int kBurst = 4;
  const long long t0 = 1'700'000'000'000'000;
  std::vector<long long> grants;  // microseconds
  // Two askers alternate with uneven steps over ten simulated seconds.
  for (long long now = t0, step = 0; now < t0 + 10'000'000; now += (step++ % 2 ? 3'000 : 7'000)) {
    const auto g = ask(redis, "shared", kRate, kBurst, 3, now);
    for (long long i = 0; i < g.granted; ++i) grants.push_back(now);
  }
  CHECK(most_in_a_second(grants) <= static_cast<std::size_t>(kRate) + kBurst - 1);
  CHECK(grants.size() <= static_cast<std::size_t>(kRate * 10) + kBurst);
  CHECK(grants.size() >= static_cast<std::size_t>(kRate * 10) - 1);
}

TEST_CASE("slots reserved ahead keep the rate when every ask comes late, within the same bound") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  constexpr double kRate = 200;
  const long long t0 = 1'700'000'000'000'000;
  const long long end = t0 + 10'000'000;
  // Two askers; each asks again when told to, 300 us late (a round trip and
  // a timer's lateness), for ten simulated seconds.
  const auto run = [&](const std::string& key, long long horizon_us) {
    std::vector<long long> slots;
    long long next[2] = {t0, t0 + 1'000};
    while (std::min(next[0], next[1]) < end) {
      const int who = next[0] <= next[1] ? 0 : 1;
      const long long now = next[who];
      const auto g = ask(redis, key, kRate, 1, 5, now, horizon_us);
      for (const long long d : g.delays_us) {
        if (now + d < end) slots.push_back(now + d);
      }
      // With slots in hand, ask again when the last one is used; otherwise when told.
      const long long last = g.delays_us.empty() ? 0 : g.delays_us.back();
      next[who] = now + std::max(g.wait_us, last) + 300;
    }
    std::sort(slots.begin(), slots.end());
    return slots;
  };
  const auto ahead = run("rl:ahead", 50'000);
  const auto when_free = run("rl:free", 0);
  CAPTURE(ahead.size(), when_free.size());
  CHECK(ahead.size() >= static_cast<std::size_t>(kRate * 10) - 1);  // the rate: 200/s
  CHECK(ahead.size() <= static_cast<std::size_t>(kRate * 10) + 1);
  CHECK(most_in_a_second(ahead) <= static_cast<std::size_t>(kRate) + 1);  // rate + burst
  for (std::size_t i = 1; i < ahead.size(); ++i) REQUIRE(ahead[i] - ahead[i - 1] >= 5'000);
  // Taking only slots free now loses the lateness on every slot.
  CHECK(when_free.size() < static_cast<std::size_t>(kRate * 10 * 0.97));
}

TEST_CASE("the limiter grants the burst, then holds the rest until cancelled") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto redis = store::AsyncRedis::create(io, server.endpoint());
  redis->connect([](std::exception_ptr e) { REQUIRE_FALSE(e); });
  const long long frozen = 1'700'000'000'000'000;
  auto limiter = std::make_shared<sender::RateLimiter>(io, redis, "rl:frozen", config::RateLimitConfig{100, 5},
                                                       [frozen] { return std::optional<std::int64_t>(frozen); });
  int granted = 0;
  int refused = 0;
  for (int i = 0; i < 10; ++i) limiter->acquire([&](bool ok) { ok ? ++granted : ++refused; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (granted < 5 && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
  CHECK(granted == 5);
  CHECK(limiter->waiting() == 5);
  limiter->cancel_all();
  redis->close();
  io.run_for(std::chrono::seconds(5));
  CHECK(granted == 5);  // the clock never moved, so no more slots
  CHECK(refused == 5);
}

TEST_CASE("an urgent waiter gets the next slot before bulk waiters queued earlier") {
  testing::RedisServer server;
  boost::asio::io_context io;
  auto redis = store::AsyncRedis::create(io, server.endpoint());
  redis->connect([](std::exception_ptr e) { REQUIRE_FALSE(e); });
  std::int64_t now = 1'700'000'000'000'000;
  auto limiter = std::make_shared<sender::RateLimiter>(io, redis, "rl:lane", config::RateLimitConfig{10, 1},
                                                       [&now] { return std::optional<std::int64_t>(now); });
  std::vector<std::string> order;
  limiter->acquire([&](bool ok) { if (ok) order.push_back("bulk-1"); });
  auto run_until = [&](std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (order.size() < n && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  };
  run_until(1);  // the burst of one is spent; the clock stands still
  for (int i = 2; i <= 4; ++i) {
    limiter->acquire([&order, i](bool ok) { if (ok) order.push_back("bulk-" + std::to_string(i)); });
  }
  limiter->acquire([&](bool ok) { if (ok) order.push_back("urgent"); }, true);
  now += 100'500;  // one interval (with the jitter allowance): one slot
  run_until(2);
  now += 100'500;
  run_until(3);
  limiter->cancel_all();
  redis->close();
  io.run_for(std::chrono::seconds(2));
  REQUIRE(order.size() >= 3);
  CHECK(order[0] == "bulk-1");
  CHECK(order[1] == "urgent");
  CHECK(order[2] == "bulk-2");
}

TEST_CASE("with the limit off every acquire is granted") {
  boost::asio::io_context io;
  auto limiter = std::make_shared<sender::RateLimiter>(io, nullptr, "unused", config::RateLimitConfig{0, 1});
  int granted = 0;
  for (int i = 0; i < 1000; ++i) limiter->acquire([&](bool ok) { granted += ok; });
  io.run();
  CHECK(granted == 1000);
}

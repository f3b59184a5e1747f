// The /metrics listener over loopback: answers after the collect step, in
// the text format; does not wait forever for a stuck collect; serves
// nothing else.
#include "metrics/metrics_server.h"

#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "support/http_get.h"
#include "support/io_loop.h"

using namespace broadcaster;
using namespace broadcaster::metrics;

using Loop = testing::IoLoop;

TEST_CASE("a scrape runs the collect step, then answers the registry", "[metrics][metrics_server]") {
  Registry r;
  Family& up = r.gauge("broadcaster_redis_up", "help");
  int collects = 0;
  Loop loop;
  MetricsServer server(loop.io, r, [&](std::function<void()> done) {
    ++collects;
    up.set({}, collects);
    done();
  });
  std::promise<boost::asio::ip::tcp::endpoint> bound;
  boost::asio::post(loop.io, [&] { bound.set_value(server.listen({boost::asio::ip::make_address("127.0.0.1"), 0})); });
  const std::string base = "http://127.0.0.1:" + std::to_string(bound.get_future().get().port());

  const auto first = testing::http_request("GET", base + "/metrics");
  CHECK(first.status == 200);
  CHECK_THAT(first.headers, Catch::Contains("text/plain; version=0.0.4"));
  CHECK_THAT(first.body, Catch::Contains("broadcaster_redis_up 1\n"));
  CHECK_THAT(testing::http_get(base + "/metrics"), Catch::Contains("broadcaster_redis_up 2\n"));
  CHECK(testing::http_request("GET", base + "/twilio/sms").status == 404);
  CHECK(testing::http_request("POST", base + "/metrics").status == 405);
  boost::asio::post(loop.io, [&] { server.stop(); });
}

TEST_CASE("a collect step that never finishes does not hang the scrape", "[metrics][metrics_server]") {
  Registry r;
  r.counter("broadcaster_redis_reconnects_total", "help");
  Loop loop;
  std::vector<std::function<void()>> stuck;  // never called, kept alive
  MetricsServer server(loop.io, r, [&](std::function<void()> done) { stuck.push_back(std::move(done)); });
  std::promise<boost::asio::ip::tcp::endpoint> bound;
  boost::asio::post(loop.io, [&] { bound.set_value(server.listen({boost::asio::ip::make_address("127.0.0.1"), 0})); });
  const std::string url = "http://127.0.0.1:" + std::to_string(bound.get_future().get().port()) + "/metrics";
  const auto started = std::chrono::steady_clock::now();
  const auto answer = testing::http_request("GET", url);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(answer.status == 200);
  CHECK_THAT(answer.body, Catch::Contains("broadcaster_redis_reconnects_total 0\n"));
  CHECK(took >= kCollectTimeout - std::chrono::milliseconds(100));
  CHECK(took < kCollectTimeout + std::chrono::seconds(3));
  // A late `done` after the answer changes nothing (and does not crash).
  boost::asio::post(loop.io, [&] {
    for (auto& d : stuck) d();
    server.stop();
  });
}

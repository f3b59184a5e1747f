// The registry: names checked, label counts checked, counters only go up,
// and counting from several threads loses nothing.
#include "metrics/registry.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace broadcaster::metrics;

TEST_CASE("metric and label names follow Prometheus conventions", "[metrics][registry]") {
  Registry r;
  CHECK_THROWS_AS(r.counter("broadcaster_messages", "no _total"), std::invalid_argument);
  CHECK_THROWS_AS(r.gauge("broadcaster_held_total", "a gauge named like a counter"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("9lives_total", "starts with a digit"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("a-b_total", "dash"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("x_total", "reserved label", {"__name"}), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("y_total", "label twice", {"a", "a"}), std::invalid_argument);
  r.counter("z_total", "fine", {"channel"});
  CHECK_THROWS_AS(r.counter("z_total", "made twice"), std::invalid_argument);
}

TEST_CASE("series are made on first use and counters never go down", "[metrics][registry]") {
  Registry r;
  Family& sent = r.counter("sent_total", "help", {"channel", "outcome"});
  Family& plain = r.counter("plain_total", "help");
  CHECK(plain.value({}) == 0);  // a label-less family starts at 0
  CHECK(r.snapshot().at(1).series.size() == 1);
  sent.add({"sms", "sent"});
  sent.add({"sms", "sent"}, 2);
  CHECK(sent.value({"sms", "sent"}) == 3);
  CHECK(sent.value({"sms", "failed"}) == 0);
  CHECK_THROWS_AS(sent.add({"sms"}), std::invalid_argument);
  CHECK_THROWS_AS(sent.add({"sms", "sent"}, -1), std::invalid_argument);
  CHECK_THROWS_AS(sent.set({"sms", "sent"}, 1), std::invalid_argument);
  sent.set({"sms", "sent"}, 5);  // mirrored from a total kept elsewhere
  CHECK(sent.value({"sms", "sent"}) == 5);

  Family& queued = r.gauge("queued_messages", "help", {"campaign"});
  queued.set({"a"}, 4);
  queued.set({"a"}, 1);  // gauges go both ways
  queued.replace({{{"b"}, 2}});
  CHECK(queued.value({"a"}) == 0);
  CHECK(r.snapshot().at(2).series.size() == 1);
}

TEST_CASE("counting from several threads loses nothing", "[metrics][registry]") {
  Registry r;
  Family& f = r.counter("n_total", "help", {"thread"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t] {
      for (int i = 0; i < 10000; ++i) {
        f.add({"all"});
        f.add({std::to_string(t)});
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(f.value({"all"}) == 40000);
  CHECK(f.value({"3"}) == 10000);
}

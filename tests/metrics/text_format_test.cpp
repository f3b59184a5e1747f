// The text exposition format as Prometheus parses it: HELP and TYPE before
// the samples, label values escaped, numbers written exactly.
#include "metrics/text_format.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace broadcaster::metrics;

TEST_CASE("the writer emits HELP, TYPE and one line per series", "[metrics][text_format]") {
  Registry r;
  Family& sent =
      r.counter("broadcaster_messages_total", "Messages sent.\nBy channel \\ outcome.", {"channel", "outcome"});
  sent.add({"sms", "sent"}, 3);
  sent.add({"sms", "failed"});
  r.gauge("broadcaster_redis_up", "1 while up.").set({}, 1);
  CHECK(write_text(r.snapshot()) ==
        "# HELP broadcaster_messages_total Messages sent.\\nBy channel \\\\ outcome.\n"
        "# TYPE broadcaster_messages_total counter\n"
        "broadcaster_messages_total{channel=\"sms\",outcome=\"failed\"} 1\n"
        "broadcaster_messages_total{channel=\"sms\",outcome=\"sent\"} 3\n"
        "# HELP broadcaster_redis_up 1 while up.\n"
        "# TYPE broadcaster_redis_up gauge\n"
        "broadcaster_redis_up 1\n");
}

TEST_CASE("label values are escaped and values written exactly", "[metrics][text_format]") {
  CHECK(escape_label_value(R"(a "quoted" \ path)") == R"(a \"quoted\" \\ path)");
  CHECK(escape_label_value("two\nlines") == "two\\nlines");
  Registry r;
  Family& g = r.gauge("g", "help", {"k"});
  g.set({"half"}, 0.5);
  g.set({"big"}, 1764680000.25);
  g.set({"nan"}, std::numeric_limits<double>::quiet_NaN());
  g.set({"inf"}, std::numeric_limits<double>::infinity());
  const std::string text = write_text(r.snapshot());
  CHECK_THAT(text, Catch::Contains("g{k=\"half\"} 0.5\n"));
  CHECK_THAT(text, Catch::Contains("g{k=\"big\"} 1764680000.25\n"));
  CHECK_THAT(text, Catch::Contains("g{k=\"nan\"} NaN\n"));
  CHECK_THAT(text, Catch::Contains("g{k=\"inf\"} +Inf\n"));
}

// /metrics through real processes: `serve` sends a campaign to the
// simulator (rate-limited, so its queue is seen non-empty first) and takes
// its status callbacks; a scrape shows what a user would see (messages
// sent == messages the simulator got, the queue length and the age of its
// oldest message while it drains, nothing waiting at the end, receipts by
// state and code, a refused webhook by reason) and passes `promtool check
// metrics`.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "campaign_checks.h"
#include "support/loopback_port.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

/// The value of the series written exactly as `series` (name{labels}), if any.
std::optional<double> sample(const std::string& scrape, const std::string& series) {
  std::istringstream in(scrape);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("serve's /metrics counts what it sent and received, and passes promtool") {
  PipelineOptions options;
  options.inbound = true;
  options.receipts = true;
  options.per_second = 5;  // 20 messages take about 4 s: the queue is seen waiting
  options.sim_args = {"--status-callbacks", "reversed"};
  Pipeline p(options);
  const int port = free_loopback_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  p.dir().write("config/broadcaster.yaml", p.dir().read("config/broadcaster.yaml") +
                                               "metrics:\n  listen: 127.0.0.1:" + std::to_string(port) + "\n");
  write_campaign_files(p, 0);
  write_receipt_subscribers(p, [](int) { return "en"; });
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");

  // While it drains: messages waiting, the oldest of them some time old.
  std::string scrape;
  REQUIRE(wait_for_condition(
      [&] {
        try {
          scrape = http_get(url);
        } catch (const std::exception&) {
          return false;
        }
        const auto sent = sample(scrape, R"(broadcaster_messages_total{channel="sms",outcome="sent"})");
        return sent && *sent >= 1;
      },
      std::chrono::seconds(30)));
  const auto queued = sample(scrape, R"(broadcaster_campaign_queued_messages{campaign="it-invite"})");
  REQUIRE(queued);
  CHECK(*queued > 0);
  CHECK(*queued < 20);
  const auto oldest = sample(scrape, R"(broadcaster_campaign_oldest_queued_age_seconds{campaign="it-invite"})");
  REQUIRE(oldest);
  CHECK(*oldest > 0);
  CHECK(sample(scrape, "broadcaster_redis_up") == 1.0);
  CHECK(sample(scrape, "process_start_time_seconds").value_or(0) > 1.7e9);

  // A status callback without a signature is refused, and counted.
  const auto refused = http_request("POST", p.status_url(), {"Content-Type: application/x-www-form-urlencoded"},
                                    "MessageSid=SM00&MessageStatus=delivered");
  CHECK(refused.status >= 400);
  // Two texts from subscribers: one opt-out, one HELP.
  CHECK(text_in(p, "+15595550170", "STOP", "SM000000000000000000000000000metr1").status == 200);
  CHECK(text_in(p, "+15595550171", "HELP", "SM000000000000000000000000000metr2").status == 200);

  // The end: every message sent and receipted.
  REQUIRE(wait_for_condition(
      [&] {
        const auto s = stats_of(redis, "it-invite");
        return field(s, "delivered") + field(s, "undelivered") + field(s, "delivery_failed") == 20;
      },
      std::chrono::seconds(60)));
  scrape = http_get(url);
  const auto sim_count = static_cast<double>(p.sim_messages().size());
  CHECK(sim_count == 20);
  CHECK(sample(scrape, R"(broadcaster_messages_total{channel="sms",outcome="sent"})") == sim_count);
  CHECK(sample(scrape, R"(broadcaster_messages_total{channel="sms",outcome="failed"})") == 0.0);
  // A finished campaign leaves the running set: its queue gauge is 0 or gone.
  CHECK(sample(scrape, R"(broadcaster_campaign_queued_messages{campaign="it-invite"})").value_or(0) == 0);
  CHECK(sample(scrape, R"(broadcaster_rate_limit_waits_total{channel="sms"})").value_or(0) >= 1);
  // The simulator's reversed callbacks: 16 delivered, one 30007 among the undelivered.
  CHECK(sample(scrape, R"(broadcaster_delivery_receipts_total{state="delivered",code="none"})").value_or(0) >= 16);
  CHECK(sample(scrape, R"(broadcaster_delivery_receipts_total{state="undelivered",code="30007"})").value_or(0) >= 1);
  CHECK(sample(scrape, R"(broadcaster_webhook_rejections_total{reason="unauthenticated"})") == 1.0);
  CHECK(sample(scrape, "broadcaster_provider_requests_in_flight") == 0.0);
  CHECK(sample(scrape, R"(broadcaster_inbound_texts_total{action="opt_out",result="opted_out"})") == 1.0);
  CHECK(sample(scrape, R"(broadcaster_inbound_texts_total{action="help",result="help"})") == 1.0);
  // No number anywhere in the scrape.
  CHECK_THAT(scrape, !Catch::Contains("+1559"));

  // promtool's lint: any problem fails (it prints it and exits non-zero).
  p.dir().write("scrape.txt", scrape);
  const std::string report = (p.dir().path() / "promtool.txt").string();
  const std::string cmd =
      "promtool check metrics < " + (p.dir().path() / "scrape.txt").string() + " > " + report + " 2>&1";
  const int rc = std::system(cmd.c_str());
  INFO("promtool says: " << p.dir().read("promtool.txt"));
  CHECK(rc == 0);
  CHECK(p.dir().read("promtool.txt").empty());

  // Other paths are not served; the port answers nothing but metrics.
  CHECK(http_request("GET", "http://127.0.0.1:" + std::to_string(port) + "/twilio/sms").status == 404);

  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

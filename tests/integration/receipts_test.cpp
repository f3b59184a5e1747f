// Delivery receipts through real processes: the simulator posts Twilio
// status callbacks (late, duplicated and out of order) to `serve`, which
// verifies their signature and moves each message to its final state once;
// stats show delivered / undelivered / failed by error code, 21610 stops the
// subscriber, and callbacks that are unsigned or about unknown messages
// change nothing.
#include <catch2/catch.hpp>
#include <csignal>

#include "campaign_checks.h"
#include "channels/http_message.h"
#include "channels/twilio/twilio_signature.h"
#include "store/redis_client.h"
#include "store/subscriber_store.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

/// POSTs a status callback the way Twilio does, signed unless `sign` is false.
HttpAnswer status_in(const Pipeline& p, const std::string& query, const std::string& sid, const std::string& to,
                     const std::string& status, bool sign = true) {
  const std::vector<std::pair<std::string, std::string>> form{
      {"MessageSid", sid}, {"AccountSid", kAccountSid}, {"To", to}, {"MessageStatus", status}};
  const std::string url = p.status_url() + query;
  std::vector<std::string> headers{"Content-Type: application/x-www-form-urlencoded"};
  if (sign) headers.push_back("X-Twilio-Signature: " + channels::twilio_signature(url, form, kAuthToken));
  return http_request("POST", url, headers, channels::form_encode(form));
}

}  // namespace

TEST_CASE("status callbacks move each message to its final state once, whatever their order") {
  PipelineOptions options;
  options.inbound = true;
  options.receipts = true;
  options.sim_args = {"--status-callbacks", "reversed"};  // final, sent, final again
  Pipeline p(options);
  write_campaign_files(p, 0);
  write_receipt_subscribers(p, [](int) { return "en"; });
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  const auto receipted = [&] {
    const auto s = stats_of(redis, "it-invite");
    return field(s, "delivered") + field(s, "undelivered") + field(s, "delivery_failed");
  };
  REQUIRE(wait_for_condition([&] { return receipted() == 20; }, std::chrono::seconds(60)));
  // Every callback was answered 2xx, including the late and repeated ones.
  REQUIRE(wait_for_condition([&] { return p.sim_stats().value("status_callbacks_posted", 0) == 60; },
                             std::chrono::seconds(30)));
  CHECK(p.sim_stats().value("status_callbacks_failed", -1) == 0);

  std::string out;
  REQUIRE(p.run({"stats", "it-invite", "--json"}, &out) == 0);
  const auto j = nlohmann::json::parse(out.substr(out.find_first_of("{[")));
  const auto& s = j.is_array() ? j[0] : j;
  CHECK(s["sent"] == 20);
  CHECK(s["delivered"] == 16);
  CHECK(s["undelivered"] == 3);
  CHECK(s["delivery_failed"] == 1);
  CHECK(s["delivery_rate"].get<double>() == Approx(0.8));
  CHECK(s["receipt_errors"]["30007"]["count"] == 1);
  CHECK(s["receipt_errors"]["30007"]["meaning"] == "Message filtered by the carrier");
  CHECK(s["receipt_errors"]["30007"]["unreachable"] == true);
  CHECK(s["receipt_errors"]["30007"]["kind"] == "unreachable");
  CHECK(s["receipt_errors"]["21610"]["kind"] == "stopped");
  CHECK(s["receipt_errors"]["30003"]["count"] == 1);
  CHECK(s["receipt_errors"]["30008"]["count"] == 1);
  CHECK(s["receipt_errors"]["21610"]["count"] == 1);
  REQUIRE(p.run({"stats", "it-invite"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("receipts: 16 delivered, 3 undelivered, 1 failed (delivery rate 80.0%)"));
  CHECK_THAT(out, Catch::Contains("1 x 30003: Unreachable destination handset"));

  // Each message's fate, numbers masked.
  REQUIRE(p.run({"messages", "--campaign", "it-invite", "--status", "undelivered", "--json"}, &out) == 0);
  const auto undelivered = nlohmann::json::parse(out.substr(out.find_first_of("[")));
  REQUIRE(undelivered.size() == 3);
  CHECK(undelivered[0]["number"] == util::mask_phone("+15595550196"));
  CHECK(undelivered[0]["code"] == "21610");
  CHECK(undelivered[2]["reason"] == "Unreachable destination handset");
  for (const auto& m : undelivered) {
    // When the receipt came: today, by Redis's clock, as UTC.
    REQUIRE(m["receipt_at"].is_string());
    CHECK_THAT(m["receipt_at"].get<std::string>(), Catch::Matches(R"(20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
  }
  REQUIRE(p.run({"messages", "--campaign", "it-invite"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("delivered"));
  CHECK_THAT(out, Catch::Contains("30007: Message filtered by the carrier"));
  CHECK_THAT(out, !Catch::Contains("+15595550197"));  // masked

  // 21610 in a receipt: the carrier says they opted out; stopped here too.
  store::SubscriberStore subscribers(redis, store::Keys("it:"));
  CHECK(subscribers.get(*util::Phone::parse("+15595550196", "US"))->status == "stopped");
  CHECK(subscribers.get(*util::Phone::parse("+15595550195", "US"))->status == "active");

  // A final state is never overwritten, an unknown message is answered and
  // ignored, an unsigned callback is refused: the counts do not move.
  const auto messages = p.sim_messages();
  std::string sid_195;
  for (const auto& m : messages) {
    if (m.at("to") == "+15595550195") sid_195 = m.at("sid");
  }
  REQUIRE_FALSE(sid_195.empty());
  CHECK(status_in(p, "?campaign=it-invite", sid_195, "+15595550195", "failed").status == 200);
  CHECK(status_in(p, "?campaign=it-invite", "SM00000000000000000000000000000000", "+15595550195", "failed").status ==
        200);
  CHECK(status_in(p, "?campaign=no-such-campaign", sid_195, "+15595550195", "failed").status == 200);
  CHECK(status_in(p, "?campaign=it-invite", sid_195, "+15595550195", "undelivered", false).status == 403);
  CHECK(status_in(p, "?campaign=other", sid_195, "+15595550195", "undelivered").status == 200);
  const auto after = stats_of(redis, "it-invite");
  CHECK(field(after, "delivered") == 16);
  CHECK(field(after, "delivery_failed") == 1);
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

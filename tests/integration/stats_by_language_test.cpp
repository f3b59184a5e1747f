// `stats CAMPAIGN` and `messages` through real processes, by language: the
// simulator accepts or refuses each send and posts Twilio status callbacks
// to `serve`; what `stats` then shows per language (accepted, delivered,
// undelivered, failed, delivery rate) adds up to the campaign's totals, error
// codes are given in words for failed sends and failed deliveries alike, and
// `messages` says when each outcome was recorded.
#include <catch2/catch.hpp>
#include <csignal>

#include "campaign_checks.h"
#include "store/redis_client.h"
#include "util/phone.h"

using namespace broadcaster;
using namespace broadcaster::testing;

TEST_CASE("stats by language and messages with their send times, from real receipts") {
  PipelineOptions options;
  options.inbound = true;
  options.receipts = true;
  // 81 is refused at the send (21610); the simulator's receipts for numbers
  // ending 96..99 are undelivered 21610, undelivered 30007, failed 30008,
  // undelivered 30003; the rest are delivered.
  options.sim_args = {"--status-callbacks", "normal", "--unsubscribed", "+15595550181"};
  Pipeline p(options);
  write_campaign_files(p, 0);
  // Even endings get the English text, odd ones the Spanish.
  write_receipt_subscribers(p, [](int i) { return i % 2 == 0 ? "en" : "es"; });
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log");
  const auto settled = [&] {
    const auto s = stats_of(redis, "it-invite");
    return field(s, "failed") + field(s, "delivered") + field(s, "undelivered") + field(s, "delivery_failed");
  };
  REQUIRE(wait_for_condition([&] { return settled() == 20; }, std::chrono::seconds(60)));

  std::string out;
  REQUIRE(p.run({"stats", "it-invite", "--json"}, &out) == 0);
  const auto j = nlohmann::json::parse(out.substr(out.find_first_of("{[")));
  const auto& s = j.is_array() ? j[0] : j;
  CHECK(s["sent"] == 19);
  CHECK(s["failed"] == 1);
  const auto& en = s["by_language"]["en"];
  CHECK(en["sent"] == 10);
  CHECK(en["delivered"] == 8);
  CHECK(en["undelivered"] == 1);      // 96: 21610
  CHECK(en["delivery_failed"] == 1);  // 98: 30008
  CHECK(en["failed"] == 0);
  CHECK(en["delivery_rate"].get<double>() == Approx(0.8));
  const auto& es = s["by_language"]["es"];
  CHECK(es["sent"] == 9);
  CHECK(es["failed"] == 1);  // 81, refused at the send
  CHECK(es["delivered"] == 7);
  CHECK(es["undelivered"] == 2);  // 97: 30007, 99: 30003
  CHECK(es["delivery_failed"] == 0);
  CHECK(es["delivery_rate"].get<double>() == Approx(7.0 / 9.0));
  CHECK(s["by_language"].size() == 2);
  // Summed over the languages, each count is the campaign's total.
  for (const char* name : {"sent", "failed", "delivered", "undelivered", "delivery_failed"}) {
    long long sum = 0;
    for (const auto& [language, l] : s["by_language"].items()) sum += l[name].get<long long>();
    INFO(name);
    CHECK(sum == s[name].get<long long>());
  }
  // The codes, in words, for the failed send as for the receipts.
  CHECK(s["send_errors"]["21610"]["count"] == 1);
  CHECK(s["send_errors"]["21610"]["meaning"] == "Recipient replied STOP (unsubscribed with the carrier)");
  CHECK(s["receipt_errors"]["21610"]["count"] == 1);
  CHECK(s["receipt_errors"]["30007"]["meaning"] == "Message filtered by the carrier");

  REQUIRE(p.run({"stats", "it-invite"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("by language:"));
  CHECK_THAT(out, Catch::Contains("LANGUAGE    ACCEPTED  DELIVERED  UNDELIVERED   FAILED  DELIVERY RATE"));
  CHECK_THAT(out, Catch::Contains("en                10          8            1        1          80.0%"));
  CHECK_THAT(out, Catch::Contains("es                 9          7            2        1          77.8%"));
  CHECK_THAT(out, Catch::Contains("failed sends by code:\n  1 x 21610: Recipient replied STOP"));
  CHECK_THAT(out, Catch::Contains("1 x 30003: Unreachable destination handset"));

  // Each message says when its outcome was recorded, and in which language.
  REQUIRE(p.run({"messages", "--campaign", "it-invite", "--json"}, &out) == 0);
  const auto messages = nlohmann::json::parse(out.substr(out.find_first_of("[")));
  REQUIRE(messages.size() == 20);
  for (const auto& m : messages) {
    INFO(m.dump());
    REQUIRE(m["sent_at"].is_string());
    CHECK_THAT(m["sent_at"].get<std::string>(), Catch::Matches(R"(20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
    CHECK((m["language"] == "en" || m["language"] == "es"));
    // A receipt comes after the send it is about.
    if (m["receipt_at"].is_string()) CHECK(m["receipt_at"].get<std::string>() >= m["sent_at"].get<std::string>());
  }
  CHECK(messages[1]["number"] == util::mask_phone("+15595550181"));
  CHECK(messages[1]["state"] == "failed");
  CHECK(messages[1]["language"] == "es");
  CHECK(messages[1]["receipt_at"].is_null());
  REQUIRE(p.run({"messages", "--campaign", "it-invite"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("SENT AT"));
  CHECK_THAT(out, Catch::Contains("RECEIPT AT"));
  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

// The status page as ops see it: headless Chromium (Debian's chromium and
// chromedriver) opens it on a phone-sized window while `serve` sends a
// rate-limited campaign to the simulator, and reads what a person would
// read: the campaign, its sent count rising without a reload, the final
// delivery rate and the errors in words, today's opt-outs with the number
// masked, and the serve process alive. Screenshots land in the build folder
// (status-page/). Without the token the page shows only its token form,
// and the data route answers 401.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "campaign_checks.h"
#include "support/headless_chromium.h"
#include "support/loopback_port.h"
#include "util/phone.h"

using namespace broadcaster;
using namespace broadcaster::testing;

namespace {

constexpr const char* kToken = "status-page-test-token-0123456789";

long long count_of(const std::string& shown) {
  std::string digits;
  for (char c : shown)
    if (c >= '0' && c <= '9') digits += c;
  return digits.empty() ? -1 : std::stoll(digits);
}

}  // namespace

TEST_CASE("the status page shows a sending campaign live in headless Chromium, numbers masked") {
  PipelineOptions options;
  options.inbound = true;
  options.receipts = true;
  options.per_second = 2;  // 20 messages take about 10 s: the page updates several times meanwhile
  options.sim_args = {"--status-callbacks", "normal"};
  Pipeline p(options);
  const int port = free_loopback_port();
  const std::string page = "http://127.0.0.1:" + std::to_string(port) + "/";
  p.dir().write("config/broadcaster.yaml", p.dir().read("config/broadcaster.yaml") +
                                               "status_page:\n  listen: 127.0.0.1:" + std::to_string(port) + "\n");
  write_campaign_files(p, 0);
  write_receipt_subscribers(p, [](int) { return "en"; });
  import_and_submit(p);
  store::RedisClient redis(p.redis_server().endpoint());
  auto serve = p.start({"serve"}, "serve.log", {std::string("BROADCASTER_STATUS_TOKEN=") + kToken});
  REQUIRE(wait_for_condition([&] { return http_request("GET", page + "healthz").status == 200; },
                             std::chrono::seconds(20)));

  // The data needs the token; the page itself carries none.
  CHECK(http_request("GET", page + "status.json").status == 401);
  CHECK(http_request("GET", page + "status.json", {"Authorization: Bearer wrong-token-wrong-token"}).status == 401);

  const std::filesystem::path shots = std::filesystem::path(BC_BINARY_DIR) / "status-page";
  HeadlessChromium browser(p.dir().path() / "chromium", 412, 915);

  // Without a token: the token form, and no data.
  browser.open(page);
  REQUIRE(wait_for_condition([&] { return browser.run("return !document.getElementById('login').hidden;") == true; },
                             std::chrono::seconds(15)));
  CHECK(browser.run("return document.getElementById('status').hidden;") == true);
  CHECK_THAT(browser.text_of("body"), !Catch::Contains("it-invite"));

  // With the token in the address's fragment (never sent to the server).
  browser.open(page + "#token=" + kToken);
  const std::string sent_cell = "[data-campaign='it-invite'] [data-count='sent']";
  std::set<long long> seen_sent;
  long long last = -1;
  bool rising = true;
  bool shot_while_sending = false;
  const bool all_sent = wait_for_condition(
      [&] {
        const long long sent = count_of(browser.text_of(sent_cell));
        if (sent >= 0) {
          if (sent < last) rising = false;
          last = sent;
          seen_sent.insert(sent);
          if (!shot_while_sending && sent > 0 && sent < 20) {
            browser.screenshot(shots / "status-page-sending.png");
            shot_while_sending = true;
          }
        }
        return sent == 20;
      },
      std::chrono::seconds(60));
  if (!all_sent) browser.screenshot(shots / "status-page-failed.png");
  INFO("the page showed: " << browser.text_of("body"));
  REQUIRE(all_sent);
  INFO("sent counts the page showed: " << seen_sent.size());
  CHECK(rising);
  // The page updated itself at least three times on the way (no reload).
  CHECK(seen_sent.size() >= 3);
  CHECK(shot_while_sending);
  // The address no longer holds the token.
  CHECK(browser.run("return location.hash;") == "");

  // The end: every receipt in, the page shows the delivery rate `stats` has.
  REQUIRE(wait_for_condition(
      [&] {
        const auto s = stats_of(redis, "it-invite");
        return field(s, "delivered") + field(s, "undelivered") + field(s, "delivery_failed") == 20;
      },
      std::chrono::seconds(60)));
  const auto s = stats_of(redis, "it-invite");
  char expected_rate[32];
  std::snprintf(expected_rate, sizeof expected_rate, "%.1f%%", 100.0 * field(s, "delivered") / 20.0);
  CHECK(std::string(expected_rate) == "80.0%");  // the simulator's 16 delivered of 20
  const std::string rate_cell = "[data-campaign='it-invite'] [data-count='delivery-rate']";
  REQUIRE(wait_for_condition([&] { return browser.text_of(rate_cell) == expected_rate; }, std::chrono::seconds(20)));
  REQUIRE(wait_for_condition(
      [&] { return browser.text_of("[data-campaign='it-invite'] .state") == "done"; }, std::chrono::seconds(20)));
  CHECK(count_of(browser.text_of("[data-campaign='it-invite'] [data-count='delivered']")) == field(s, "delivered"));

  const std::string text = browser.text_of("body");
  INFO(text);
  // Errors in words: the carrier's filtering (30007) and an unreachable handset (30003).
  CHECK_THAT(text, Catch::Contains("30007"));
  CHECK_THAT(text, Catch::Contains("30003"));
  CHECK_THAT(browser.text_of("#errors"), Catch::Matches("(.|\n)*[a-z]{4,}(.|\n)*"));
  // Today: the provider's 21610 for +1 559 555 0196 stopped that subscriber,
  // shown masked; no full number anywhere.
  CHECK_THAT(browser.text_of("#today"), Catch::Contains("1 opt-out"));
  CHECK_THAT(browser.text_of("#opt-outs"), Catch::Contains(util::mask_phone("+15595550196")));
  CHECK_FALSE(std::regex_search(text, std::regex("\\+?1?559 ?555 ?01[0-9][0-9]|5550[0-9]{3}")));
  // The serve process, alive.
  CHECK_THAT(browser.text_of("#processes"), Catch::Contains("alive") && Catch::Contains("(this one)"));
  browser.screenshot(shots / "status-page-done.png");
  CHECK(std::filesystem::file_size(shots / "status-page-done.png") > 1000);

  // A wrong token stored in the browser: back to the form, with why.
  browser.open(page + "#token=not-the-status-token-at-all");
  REQUIRE(wait_for_condition([&] { return browser.run("return !document.getElementById('login').hidden;") == true; },
                             std::chrono::seconds(15)));
  CHECK_THAT(browser.text_of("#login-error"), Catch::Contains("not accepted"));

  serve->signal(SIGTERM);
  CHECK(serve->wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("serve refuses to start a status page without a token in the environment") {
  Pipeline p;
  const int port = free_loopback_port();
  p.dir().write("config/broadcaster.yaml", p.dir().read("config/broadcaster.yaml") +
                                               "status_page:\n  listen: 127.0.0.1:" + std::to_string(port) + "\n");
  std::string out;
  CHECK(p.run({"serve"}, &out) != 0);
  CHECK_THAT(out, Catch::Contains("BROADCASTER_STATUS_TOKEN is not set"));
  CHECK(p.run({"serve"}, &out, {"BROADCASTER_STATUS_TOKEN=abc12xyz"}) != 0);
  CHECK_THAT(out, Catch::Contains("too short") && !Catch::Contains("abc12xyz"));
  CHECK(http_request("GET", "http://127.0.0.1:" + std::to_string(port) + "/").status == 0);
}

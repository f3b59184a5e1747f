// serve's metric names and the labels it derives: outcomes by kind, provider
// codes bounded (an unknown code cannot make a new series).
#include "metrics/serve_metrics.h"

#include <catch2/catch.hpp>

#include "metrics/queue_probe.h"
#include "metrics/text_format.h"

using namespace broadcaster::metrics;

TEST_CASE("outcomes and codes become bounded labels", "[metrics][serve_metrics]") {
  CHECK(outcome_label("sent:SM0123456789abcdef") == "sent");
  CHECK(outcome_label("failed:30007") == "failed");
  CHECK(outcome_label("skipped:stopped") == "skipped_stopped");
  CHECK(outcome_label("skipped:cap") == "skipped_cap");
  CHECK(outcome_label("already") == "");
  CHECK(code_label("30007") == "30007");  // known to the Twilio provider
  CHECK(code_label("21610") == "21610");
  CHECK(code_label("in_doubt") == "in_doubt");  // our own
  CHECK(code_label("") == "none");
  CHECK(code_label("99999") == "other");  // unknown: one series for all of them
  CHECK(code_label("+15595550123") == "other");
}

TEST_CASE("serve's families start where rate() needs them", "[metrics][serve_metrics]") {
  Registry r;
  ServeMetrics m(r, {"sms"});
  CHECK(m.messages.value({"sms", "sent"}) == 0);
  m.message_recorded("sms", "sent:SM1");
  m.message_recorded("sms", "failed:30007");
  m.message_recorded("sms", "failed:12345678");
  m.message_recorded("sms", "already");
  CHECK(m.messages.value({"sms", "sent"}) == 1);
  CHECK(m.messages.value({"sms", "failed"}) == 2);
  CHECK(m.send_failures.value({"sms", "30007"}) == 1);
  CHECK(m.send_failures.value({"sms", "other"}) == 1);
  m.rate_limit_waited("sms", std::chrono::milliseconds(250));
  m.rate_limit_waited("sms", std::chrono::microseconds(10));  // no wait to speak of
  CHECK(m.rate_limit_waits.value({"sms"}) == 1);
  CHECK(m.rate_limit_wait_seconds.value({"sms"}) == Approx(0.25));
  CHECK(m.start_time.value({}) > 1.7e9);
  const std::string text = write_text(r.snapshot());
  CHECK_THAT(text, Catch::Contains("# TYPE process_start_time_seconds gauge"));
  CHECK_THAT(text, Catch::Contains("# TYPE broadcaster_messages_total counter"));
}

TEST_CASE("keyword replies share one campaign label; campaigns keep their id", "[metrics][queue_probe]") {
  CHECK(campaign_label("spring-clinic") == "spring-clinic");
  CHECK(campaign_label("reply-twilio-SM0123") == "keyword_replies");
  CHECK(campaign_label("reply-kannel-x") == "keyword_replies");
  CHECK(campaign_label("replyall") == "replyall");
}

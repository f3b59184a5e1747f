// Submitting on a real redis-server: per-language texts, the opt-out footer
// for subscribers who joined by keyword, and its flag cleared only for
// messages this submission queued.
#include <catch2/catch.hpp>

#include <map>

#include "campaign/message_renderer.h"
#include "campaign/submit.h"
#include "store/footer_due.h"
#include "store/redis_client.h"
#include "store/subscriber_store.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"

using namespace broadcaster;
using broadcaster::testing::TempDir;

namespace {

store::Subscriber sub(const std::string& number, const std::string& lang) {
  return store::Subscriber{*util::Phone::parse(number, "US"), lang, {"fresno"}, "active", "import", ""};
}

struct Fixture {
  TempDir dir;
  config::Config cfg;
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};
  store::SubscriberStore subscribers{redis, keys};

  Fixture() {
    dir.write("templates/invite/en.txt", "Workshop {when, date, ::MMMd} at {place}.\n");
    dir.write("templates/invite/es.txt", "Taller el {when, date, ::EEEEd} en {place}.\n");
    dir.write("templates/footer/en.txt", "Reply STOP to cancel\n");
    dir.write("templates/footer/es.txt", "Responde ALTO para cancelar\n");
    cfg.channels["sms"].settings.name = "sms";
    cfg.channels["sms"].settings.type = "console";
    cfg.templates_dir = dir.path() / "templates";
    cfg.language_fallbacks["mix"] = {"es"};
  }

  campaign::SubmitReport submit(const std::string& extra = {}) {
    const auto file = dir.write("c.yaml",
                                "id: c1\ntemplate: invite\nchannel: sms\naudience: {tags: [fresno]}\n"
                                "time_zone: America/Los_Angeles\n" +
                                    extra + "variables:\n  place: Fresno\n  when: {datetime: 2026-12-05T10:00}\n");
    const auto c = campaign::parse_campaign_file(file);
    auto store = campaign::open_template_store(cfg);
    return campaign::submit_campaign(c, cfg, store, redis, keys);
  }

  void mark_joined_by_keyword(const std::string& number) {
    (void)redis.command({"HSET", keys.subscriber(number), "footer_due", "1"});
  }
  bool footer_due(const std::string& number) { return store::read_footer_due(redis, keys, {number}).front(); }

  // to -> body of every queued message.
  std::map<std::string, std::string> queued() {
    std::map<std::string, std::string> out;
    const store::RedisValue entries = redis.command({"XRANGE", keys.campaign_queue("c1"), "-", "+"});
    for (const auto& entry : entries.as_array()) {
      const auto fields = entry.as_array().at(1).as_map();
      out[fields.at("to")] = fields.at("body");
    }
    return out;
  }
};

}  // namespace

TEST_CASE("after_join adds the footer for subscribers who joined by keyword, then clears their flag") {
  Fixture f;
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en"), sub("+15595550102", "en"), sub("+15595550103", "es"),
                                sub("+15595550104", "mix")})
              .size() == 4);
  f.mark_joined_by_keyword("+15595550102");
  f.mark_joined_by_keyword("+15595550104");

  const auto report = f.submit();
  CHECK(report.newly_queued == 4);
  CHECK(report.with_footer == 2);
  CHECK(report.by_variant == std::map<std::string, long long>{{"en", 2}, {"es", 2}});
  const auto q = f.queued();
  CHECK(q.at("+15595550101") == "Workshop Dec 5 at Fresno.");
  CHECK(q.at("+15595550102") == "Workshop Dec 5 at Fresno.\nReply STOP to cancel");
  CHECK(q.at("+15595550103") == "Taller el sábado 5 en Fresno.");
  CHECK(q.at("+15595550104") == "Taller el sábado 5 en Fresno.\nResponde ALTO para cancelar");
  CHECK_FALSE(f.footer_due("+15595550102"));
  CHECK_FALSE(f.footer_due("+15595550104"));
}

TEST_CASE("submitting again neither re-queues nor clears the flag of someone queued before") {
  Fixture f;
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
  REQUIRE(f.submit().newly_queued == 1);
  // They joined again by keyword after their message was queued (without a
  // footer): the next campaign owes them the footer, this one cannot.
  f.mark_joined_by_keyword("+15595550101");
  // A new subscriber who joined by keyword is queued now, with the footer.
  REQUIRE(f.subscribers.upsert({sub("+15595550102", "es")}).size() == 1);
  f.mark_joined_by_keyword("+15595550102");

  const auto again = f.submit();
  CHECK(again.newly_queued == 1);
  CHECK(again.already_queued == 1);
  CHECK(again.with_footer == 1);
  CHECK(f.footer_due("+15595550101"));
  CHECK_FALSE(f.footer_due("+15595550102"));
  CHECK(f.queued().at("+15595550101") == "Workshop Dec 5 at Fresno.");
  CHECK(f.queued().at("+15595550102") == "Taller el sábado 5 en Fresno.\nResponde ALTO para cancelar");
}

TEST_CASE("footer: always gives everyone the footer; never keeps the flag for a later campaign") {
  SECTION("always") {
    Fixture f;
    REQUIRE(f.subscribers.upsert({sub("+15595550101", "en"), sub("+15595550102", "en")}).size() == 2);
    f.mark_joined_by_keyword("+15595550102");
    CHECK(f.submit("footer: always\n").with_footer == 2);
    for (const auto& [to, body] : f.queued()) CHECK_THAT(body, Catch::EndsWith("\nReply STOP to cancel"));
    CHECK_FALSE(f.footer_due("+15595550102"));
  }
  SECTION("never") {
    Fixture f;
    REQUIRE(f.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
    f.mark_joined_by_keyword("+15595550101");
    CHECK(f.submit("footer: never\n").with_footer == 0);
    CHECK(f.queued().at("+15595550101") == "Workshop Dec 5 at Fresno.");
    CHECK(f.footer_due("+15595550101"));
  }
}

TEST_CASE("smart encoding is applied to the queued text") {
  Fixture f;
  f.dir.write("templates/invite/en.txt", "Don\u2019t miss it \u2014 {when, time, short} at {place}\n");
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
  (void)f.submit("footer: never\nsmart_encoding: true\n");
  CHECK(f.queued().at("+15595550101") == "Don't miss it - 10:00 AM at Fresno");
}

// Submitting on a real redis-server: per-language texts, the opt-out footer
// for subscribers who joined by keyword, and its flag cleared only for
// messages this submission queued; the retention it records and how a
// resubmission and an erasure on request treat the campaign's data.
#include "campaign/submit.h"

#include <catch2/catch.hpp>
#include <map>

#include "campaign/message_renderer.h"
#include "stats/campaign_stats.h"
#include "store/campaign_data.h"
#include "store/footer_due.h"
#include "store/redis_client.h"
#include "store/scripts.h"
#include "store/subscriber_store.h"
#include "support/redis_contents.h"
#include "support/redis_server.h"
#include "support/temp_dir.h"
#include "schedule/zoned_time.h"
#include <nlohmann/json.hpp>
#include "util/address.h"
#include "util/phone.h"

using namespace broadcaster;
using broadcaster::testing::TempDir;

namespace {

store::Subscriber sub(const std::string& number, const std::string& lang) {
  return store::Subscriber{*util::Phone::parse(number, "US"), lang, {"fresno"}, "active", "import", ""};
}

struct Fixture {
  TempDir dir;
  config::Config cfg;
  // Uncompressed, so places_holding sees the bytes a snapshot would write.
  testing::RedisServer server{testing::uncompressed_dumps()};
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

  campaign::SubmitReport submit(const std::string& extra = {},
                                const std::optional<schedule::LocalDateTime>& recipient_time = std::nullopt) {
    const auto file = dir.write("c.yaml",
                                "id: c1\ntemplate: invite\nchannel: sms\naudience: {tags: [fresno]}\n"
                                "time_zone: America/Los_Angeles\n" +
                                    extra + "variables:\n  place: Fresno\n  when: {datetime: 2026-12-05T10:00}\n");
    const auto c = campaign::parse_campaign_file(file);
    auto store = campaign::open_template_store(cfg);
    return campaign::submit_campaign(c, cfg, store, redis, keys, {}, {}, recipient_time);
  }

  void mark_joined_by_keyword(const std::string& number) {
    (void)redis.command({"HSET", keys.subscriber(number), "footer_due", "1"});
  }
  bool footer_due(const std::string& number) { return store::read_footer_due(redis, keys, {number}).front(); }

  // What `serve` does: read every queued message of c1, record it as sent,
  // except for `skip`; then try to finish. Returns whether c1 is done.
  bool send_all(const std::string& skip = {}) {
    const auto r = redis.command({"XREADGROUP", "GROUP", std::string(store::kConsumerGroup), "test", "COUNT", "1000",
                                  "STREAMS", keys.campaign_queue("c1"), ">"});
    if (!r.is_nil()) {
      for (const auto& entry : r.as_array().at(0).as_array().at(1).as_array()) {
        const std::string to = entry.as_array().at(1).as_map().at("to");
        if (to == skip) continue;
        const auto call = store::record_outcome_call(keys, "c1", entry.as_array().at(0).as_string(), to, "sent:SM1",
                                                     "en", {"sent"});
        (void)redis.eval(store::scripts().record_outcome, call.first, call.second);
      }
    }
    const auto call = store::campaign_finish_call(keys, "c1");
    return redis.eval(store::scripts().campaign_finish, call.first, call.second).as_integer() == 1;
  }
  long long pttl(const std::string& key) { return redis.command({"PTTL", key}).as_integer(); }
  // The campaign's per-message keys that exist now (the send markers' hash
  // is empty, hence absent, once every message has its outcome); the queue,
  // enqueued set and outcome hash always do here.
  std::vector<std::string> stored_message_keys(const std::string& id) {
    auto out = testing::existing_keys(redis, keys.campaign_message_keys(id));
    CHECK(out.size() >= 3);
    return out;
  }

  // The text a queue entry's body_ref names in c1's bodies hash.
  std::string text_of(const std::string& ref) {
    const auto text = redis.command({"HGET", keys.campaign_bodies("c1"), ref});
    return text.is_nil() ? "<no text under " + ref + ">" : text.as_string();
  }
  // to -> text of every queued message; entries carry a reference, not the text.
  std::map<std::string, std::string> queued() {
    std::map<std::string, std::string> out;
    const store::RedisValue entries = redis.command({"XRANGE", keys.campaign_queue("c1"), "-", "+"});
    for (const auto& entry : entries.as_array()) {
      const auto fields = entry.as_array().at(1).as_map();
      CHECK_FALSE(fields.count("body"));
      out[fields.at("to")] = text_of(fields.at("body_ref"));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("after_join adds the footer for subscribers who joined by keyword, then clears their flag") {
  Fixture f;
  REQUIRE(f.subscribers
              .upsert({sub("+15595550101", "en"), sub("+15595550102", "en"), sub("+15595550103", "es"),
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

TEST_CASE("counts add up after a resubmission, and the first submission time stays") {
  Fixture f;
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en"), sub("+15595550102", "es")}).size() == 2);
  REQUIRE(f.submit().newly_queued == 2);
  const auto first = stats::read_campaign_stats(f.redis, f.keys, "c1");
  // One stops, one new joins: the resubmission queues the new one only.
  REQUIRE(f.subscribers.stop(*util::Phone::parse("+15595550101", "US"), "test"));
  REQUIRE(f.subscribers.upsert({sub("+15595550103", "en")}).size() == 1);
  const auto again = f.submit();
  CHECK(again.matched == 2);
  CHECK(again.newly_queued == 1);
  CHECK(again.already_queued == 1);
  // Only what this submission queued is broken down by language.
  CHECK(again.by_variant == std::map<std::string, long long>{{"en", 1}});
  const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
  CHECK(s.queued == 3);
  CHECK(s.targeted() == 3);
  CHECK(s.submitted_at == first.submitted_at);
  CHECK_FALSE(s.last_submitted_at.empty());
  // Nobody is sending it.
  CHECK(s.status == "waiting");
}

TEST_CASE("a run in each recipient's own zone holds each message until that wall time where they live") {
  Fixture f;
  f.cfg.outreach.time_zone = "America/Denver";  // for a number with no zone of its own
  auto la = sub("+15595550101", "en"), chicago = sub("+15595550102", "en"), ny = sub("+15595550103", "en"),
       nowhere = sub("+15595550104", "en");
  la.time_zone = "America/Los_Angeles";
  chicago.time_zone = "America/Chicago";
  ny.time_zone = "America/New_York";
  REQUIRE(f.subscribers.upsert({la, chicago, ny, nowhere}).size() == 4);
  f.subscribers.set_time_zones({la, chicago, ny, nowhere});
  CHECK(f.subscribers.time_zones_of({"+15595550102", "+15595550104"}) ==
        std::vector<std::string>{"America/Chicago", ""});

  // 10:00 on a day ahead, wherever each of them is.
  const schedule::LocalDateTime ten{std::chrono::year_month_day{std::chrono::year{2030}, std::chrono::month{3},
                                                                std::chrono::day{12}},
                                    10, 0};
  REQUIRE(f.submit("footer: never\n", ten).newly_queued == 4);
  auto due = [&](const std::string& number) {
    return std::stoll(f.redis.command({"ZSCORE", f.keys.campaign_deferred("c1"), number}).as_string());
  };
  auto at = [&](const char* zone) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               schedule::to_instant(ten, zone).time_since_epoch())
        .count();
  };
  CHECK(due("+15595550101") == at("America/Los_Angeles"));
  CHECK(due("+15595550102") == at("America/Chicago"));
  CHECK(due("+15595550103") == at("America/New_York"));
  // No zone of its own and no area-code table here: the organization's.
  CHECK(due("+15595550104") == at("America/Denver"));
  CHECK(due("+15595550101") - due("+15595550103") == 3 * 3600 * 1000);
  // Set aside with their fields, not in the stream yet.
  CHECK(f.queued().empty());
  const auto kept = nlohmann::json::parse(
      f.redis.command({"HGET", f.keys.campaign_deferred_messages("c1"), "+15595550102"}).as_string());
  CHECK(kept.at("tz") == "America/Chicago");
  CHECK(f.text_of(kept.at("body_ref")) == "Workshop Dec 5 at Fresno.");
}

TEST_CASE("each text is stored once per campaign, and an edited text gets its own while earlier messages keep theirs") {
  Fixture f;
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en"), sub("+15595550102", "en"), sub("+15595550103", "es"),
                                sub("+15595550104", "mix")})
              .size() == 4);
  f.mark_joined_by_keyword("+15595550102");
  CHECK(f.submit("footer: after_join\n").newly_queued == 4);
  const auto first = f.queued();
  CHECK(first.at("+15595550101") == "Workshop Dec 5 at Fresno.");
  CHECK(first.at("+15595550102") == "Workshop Dec 5 at Fresno.\nReply STOP to cancel");
  CHECK(first.at("+15595550103") == first.at("+15595550104"));  // mix falls back to es
  // English, English with the footer, Spanish: three texts for four messages.
  CHECK(f.redis.command({"HLEN", f.keys.campaign_bodies("c1")}).as_integer() == 3);

  // Staff fix the English text and submit again for a new subscriber.
  f.dir.write("templates/invite/en.txt", "Free workshop {when, date, ::MMMd} at {place}.\n");
  REQUIRE(f.subscribers.upsert({sub("+15595550105", "en")}).size() == 1);
  CHECK(f.submit("footer: after_join\n").newly_queued == 1);
  const auto second = f.queued();
  CHECK(second.at("+15595550105") == "Free workshop Dec 5 at Fresno.");
  CHECK(second.at("+15595550101") == "Workshop Dec 5 at Fresno.");  // queued before the edit: as it was
  CHECK(f.redis.command({"HLEN", f.keys.campaign_bodies("c1")}).as_integer() == 4);
}

TEST_CASE("a body reference that names another text is refused and nothing is queued") {
  Fixture f;
  const std::string ref = store::body_ref("Taller el sábado");
  (void)f.redis.command({"HSET", f.keys.campaign_bodies("c1"), ref, "something else"});
  store::EnqueueCall call(f.keys, "c1");
  call.add({"+15595550101", "es", "Taller el sábado"});
  const auto [script_keys, args] = call.take();
  CHECK_THROWS_WITH(f.redis.eval(store::scripts().enqueue, script_keys, args),
                    Catch::Contains("already names another text"));
  CHECK(f.redis.command({"XLEN", f.keys.campaign_queue("c1")}).as_integer() == 0);
  CHECK(f.redis.command({"SCARD", f.keys.campaign_enqueued("c1")}).as_integer() == 0);
  CHECK(store::body_ref("Taller el sábado") == ref);  // the same text, the same reference
  CHECK(store::body_ref("Taller el sábado.") != ref);
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

TEST_CASE("an SMS channel skips and counts subscribers known only by email or Telegram, and the console reaches them") {
  const auto stored = [](const char* text, const char* lang) {
    return store::Subscriber{*util::Address::parse(text, "US"), lang, {"fresno"}, "active", "import", ""};
  };
  Fixture f;
  REQUIRE(f.subscribers
              .upsert({sub("+15595550101", "en"), stored("Ana@Example.org", "es"), stored("telegram:123456789", "en")})
              .size() == 3);
  SECTION("on an SMS channel only the phone number is queued; the others are counted, not lost") {
    f.cfg.channels["sms"].settings.type = "twilio";
    const auto report = f.submit();
    CHECK(report.matched == 1);
    CHECK(report.newly_queued == 1);
    CHECK(report.unreachable == 2);
    const auto q = f.queued();
    CHECK(q.size() == 1);
    CHECK(q.count("+15595550101") == 1);
    const auto s = stats::read_campaign_stats(f.redis, f.keys, "c1");
    CHECK(s.skipped_unreachable == 2);
    CHECK(s.queued == 1);
  }
  SECTION("the console channel reaches every kind, each in its own language") {
    const auto report = f.submit();
    CHECK(report.unreachable == 0);
    CHECK(report.newly_queued == 3);
    const auto q = f.queued();
    CHECK(q.at("email:ana@example.org") == "Taller el sábado 5 en Fresno.");
    CHECK(q.at("telegram:123456789") == "Workshop Dec 5 at Fresno.");
    CHECK(stats::read_campaign_stats(f.redis, f.keys, "c1").skipped_unreachable == 0);
  }
}

TEST_CASE("smart encoding is applied to the queued text on an SMS channel, not on a plain-text one") {
  Fixture f;
  f.cfg.channels["sms"].settings.type = "twilio";
  f.dir.write("templates/invite/en.txt", "Don\u2019t miss it \u2014 {when, time, short} at {place}\n");
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
  (void)f.submit("footer: never\nsmart_encoding: true\n");
  CHECK(f.queued().at("+15595550101") == "Don't miss it - 10:00 AM at Fresno");

  Fixture console;  // the fixture's channel is the console
  console.dir.write("templates/invite/en.txt", "Don\u2019t miss it \u2014 {when, time, short} at {place}\n");
  REQUIRE(console.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
  (void)console.submit("footer: never\nsmart_encoding: true\n");
  CHECK(console.queued().at("+15595550101") == "Don\u2019t miss it \u2014 10:00\u202FAM at Fresno");
}

TEST_CASE("the campaign keeps its numbers for the configured days after it is done, until re-opened") {
  Fixture f;
  f.cfg.retention.campaign = std::chrono::days(3);
  constexpr long long kThreeDays = 3 * 86'400'000LL;
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en")}).size() == 1);
  REQUIRE(f.submit().newly_queued == 1);
  CHECK(f.redis.command({"HGET", f.keys.campaign_meta("c1"), "retention_ms"}).as_string() ==
        std::to_string(kThreeDays));
  REQUIRE(f.send_all());
  for (const auto& key : f.stored_message_keys("c1")) {
    CHECK(f.pttl(key) > kThreeDays - 60'000);
    CHECK(f.pttl(key) <= kThreeDays);
  }
  CHECK(f.pttl(f.keys.campaign_meta("c1")) == -1);
  CHECK(f.pttl(f.keys.campaign_stats("c1")) == -1);

  // A new subscriber, and the same campaign submitted again: it sends again,
  // and nothing may expire meanwhile.
  REQUIRE(f.subscribers.upsert({sub("+15595550102", "es")}).size() == 1);
  REQUIRE(f.submit().newly_queued == 1);
  CHECK(f.redis.command({"HGET", f.keys.campaign_meta("c1"), "status"}).as_string() == "sending");
  for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) == -1);
  CHECK(f.send_all());
  for (const auto& key : f.stored_message_keys("c1")) CHECK(f.pttl(key) > 0);
}

TEST_CASE("forgetting a number leaves it nowhere in Redis, and the campaign still finishes") {
  Fixture f;
  const std::string gone = "+15595550103";
  REQUIRE(f.subscribers.upsert({sub("+15595550101", "en"), sub("+15595550102", "es"), sub(gone, "es")}).size() == 3);
  REQUIRE(f.submit().newly_queued == 3);
  CHECK_FALSE(f.send_all(gone));  // its message is still queued, unsent

  const auto p = *util::Phone::parse(gone, "US");
  REQUIRE(f.subscribers.stop(p, "removed by staff"));
  const auto erased = f.subscribers.forget(p);
  CHECK(erased.campaigns == 1);
  CHECK(erased.queue_entries == 1);
  CHECK(testing::places_holding(f.redis, "5595550103").empty());

  CHECK(f.send_all());
  const auto stats = f.redis.command({"HGETALL", f.keys.campaign_stats("c1")}).as_map();
  CHECK(stats.at("queued") == "3");
  CHECK(stats.at("sent") == "2");
  CHECK(stats.at("erased") == "1");
  CHECK(stats.at("skipped_erased") == "1");
  // Submitting again does not bring the number back.
  CHECK(f.submit().newly_queued == 0);
  CHECK(testing::places_holding(f.redis, "5595550103").empty());
}

// Subscribers changing themselves by keyword, the consent log those changes
// write, erasure on request, the inbox and the auto-reply cap, on a real
// redis-server.
#include <catch2/catch.hpp>

#include "store/consent_log.h"
#include "store/inbox.h"
#include "store/redis_client.h"
#include "store/reply_quota.h"
#include "store/subscriber_store.h"
#include "support/redis_server.h"

using namespace broadcaster;
using store::ChangeOutcome;
using store::ConsentContext;
using store::StopOutcome;
using store::UpsertResult;

namespace {

util::Phone phone(const std::string& number) { return *util::Phone::parse(number, "US"); }

ConsentContext keyword(const std::string& text, const std::string& provider_id) {
  return ConsentContext{"keyword", text, provider_id, "twilio", std::chrono::hours(24)};
}

std::vector<std::string> actions(const std::vector<store::ConsentEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.action);
  return out;
}

struct Fixture {
  testing::RedisServer server;
  store::RedisClient redis{server.endpoint()};
  store::Keys keys{"t:"};
  store::SubscriberStore subscribers{redis, keys};
  store::ConsentLog log{redis, keys};
};

}  // namespace

TEST_CASE("a join, a language switch and a stop leave that history in the consent log") {
  Fixture f;
  const auto p = phone("+15595550142");
  REQUIRE(f.subscribers.opt_in(p, "es", "en", {"fresno"}, false, keyword("JOIN ES FRESNO", "SM1")).outcome ==
          ChangeOutcome::Added);
  REQUIRE(f.subscribers.set_language(p, "en", keyword("ENGLISH", "SM2")).outcome == ChangeOutcome::Updated);
  REQUIRE(f.subscribers.stop(p, "STOP", keyword("stop", "SM3")) == StopOutcome::Stopped);

  const auto history = f.log.history(f.subscribers.subject(p));
  REQUIRE(actions(history) == std::vector<std::string>{"opt_in", "language", "opt_out"});
  CHECK(history[0].detail == "lang=es +fresno");
  CHECK(history[1].detail == "es -> en");
  CHECK(history[2].detail == "STOP");
  for (const auto& e : history) {
    CHECK(e.source == "keyword");
    CHECK(e.phone == std::optional<std::string>("+15595550142"));
    CHECK(e.endpoint == "twilio");
    CHECK_FALSE(e.at.empty());
  }
  CHECK(history[0].text == std::optional<std::string>("JOIN ES FRESNO"));
  CHECK(history[2].provider_id == "SM3");
  CHECK(history[0].id < history[1].id);

  const auto rec = f.subscribers.record(p);
  REQUIRE(rec);
  CHECK(rec->subscriber.status == "stopped");
  CHECK(rec->subscriber.language == "en");
  CHECK(rec->stop_reason == "STOP");
  CHECK(f.subscribers.count({}, {}) == 0);
}

TEST_CASE("a webhook the provider retries is acted on once") {
  Fixture f;
  const auto p = phone("+15595550142");
  CHECK(f.subscribers.opt_in(p, "es", "en", {}, false, keyword("ÚNETE", "SMA")).outcome == ChangeOutcome::Added);
  CHECK(f.subscribers.opt_in(p, "es", "en", {}, false, keyword("ÚNETE", "SMA")).outcome == ChangeOutcome::Duplicate);
  CHECK(f.subscribers.stop(p, "ALTO", keyword("ALTO", "SMB")) == StopOutcome::Stopped);
  CHECK(f.subscribers.stop(p, "ALTO", keyword("ALTO", "SMB")) == StopOutcome::Duplicate);
  // The same words in a new message are a new request.
  CHECK(f.subscribers.stop(p, "ALTO", keyword("ALTO", "SMC")) == StopOutcome::Already);
  CHECK(actions(f.log.history(f.subscribers.subject(p))) ==
        std::vector<std::string>{"opt_in", "opt_out", "opt_out"});
}

TEST_CASE("double opt-in keeps a number out of audiences until it confirms") {
  Fixture f;
  const auto p = phone("+15595550143");
  REQUIRE(f.subscribers.opt_in(p, std::nullopt, "es", {}, true, keyword("JOIN", "SM1")).outcome ==
          ChangeOutcome::Added);
  CHECK(f.subscribers.record(p)->subscriber.status == "pending");
  CHECK(f.subscribers.count({}, {}) == 0);
  REQUIRE(f.subscribers.opt_in(p, std::nullopt, "es", {}, false, keyword("YES", "SM2")).outcome ==
          ChangeOutcome::Updated);
  const auto rec = f.subscribers.record(p);
  CHECK(rec->subscriber.status == "active");
  CHECK(rec->subscriber.language == "es");
  CHECK(rec->pending_since.empty());
  CHECK(rec->footer_due);
  CHECK(f.subscribers.count({"es"}, {}) == 1);
  const auto history = f.log.history(f.subscribers.subject(p));
  REQUIRE(actions(history) == std::vector<std::string>{"opt_in_pending", "opt_in"});
  CHECK(history[1].detail == "lang=es (confirmed)");
}

TEST_CASE("topics are added and removed, and indexes follow") {
  Fixture f;
  const auto p = phone("+15595550144");
  REQUIRE(f.subscribers.opt_in(p, "en", "en", {"fresno"}, false, keyword("JOIN FRESNO", "SM1")).outcome ==
          ChangeOutcome::Added);
  REQUIRE(f.subscribers.change_topics(p, {"daca", "tulare"}, {"fresno"}, keyword("DACA TULARE", "SM2")).outcome ==
          ChangeOutcome::Updated);
  CHECK(f.subscribers.get(p)->tags == std::vector<std::string>{"daca", "tulare"});
  CHECK(f.subscribers.count({}, {"fresno"}) == 0);
  CHECK(f.subscribers.count({}, {"tulare"}) == 1);
  // A number we do not know cannot change topics or language (nothing to change).
  const auto stranger = phone("+15595550199");
  CHECK(f.subscribers.change_topics(stranger, {"daca"}, {}, keyword("DACA", "SM3")).outcome == ChangeOutcome::Unknown);
  CHECK(f.subscribers.set_language(stranger, "es", keyword("ESPAÑOL", "SM4")).outcome == ChangeOutcome::Unknown);
  CHECK_FALSE(f.subscribers.get(stranger));
}

TEST_CASE("only the subscriber can take back an opt-out; import and staff cannot") {
  Fixture f;
  const auto p = phone("+15595550145");
  REQUIRE(f.subscribers.stop(p, "STOP", keyword("STOP", "SM1")) == StopOutcome::Stopped);  // unknown number
  CHECK(f.subscribers.upsert({store::Subscriber{p, "es", {}, "active", "import", ""}}) ==
        std::vector<UpsertResult>{UpsertResult::Suppressed});
  CHECK(f.subscribers.upsert({store::Subscriber{p, "es", {}, "active", "staff", ""}}, "staff") ==
        std::vector<UpsertResult>{UpsertResult::Suppressed});
  CHECK(f.subscribers.opted_out(p));
  CHECK(f.subscribers.opt_in(p, "es", "en", {}, false, keyword("UNSTOP", "SM2")).outcome == ChangeOutcome::Added);
  CHECK_FALSE(f.subscribers.opted_out(p));
  CHECK(f.subscribers.count({"es"}, {}) == 1);
}

TEST_CASE("import logs new subscribers and real changes only") {
  Fixture f;
  const auto p = phone("+15595550146");
  const store::Subscriber s{p, "es", {"fresno"}, "active", "import", ""};
  REQUIRE(f.subscribers.upsert({s}) == std::vector<UpsertResult>{UpsertResult::Added});
  REQUIRE(f.subscribers.upsert({s}) == std::vector<UpsertResult>{UpsertResult::Updated});  // same row again
  REQUIRE(f.subscribers.upsert({store::Subscriber{p, "en", {"fresno"}, "active", "import", ""}}) ==
          std::vector<UpsertResult>{UpsertResult::Updated});
  const auto history = f.log.history(f.subscribers.subject(p));
  REQUIRE(actions(history) == std::vector<std::string>{"opt_in", "update"});
  CHECK(history[0].source == "import");
  CHECK(history[0].detail == "lang=es tags=fresno");
  CHECK(history[1].detail == "lang=en tags=fresno");
}

TEST_CASE("forgetting a subscriber erases the number and texts but keeps them opted out") {
  Fixture f;
  const auto p = phone("+15595550147");
  REQUIRE(f.subscribers.opt_in(p, "es", "en", {"fresno"}, false, keyword("ÚNETE FRESNO", "SM1")).outcome ==
          ChangeOutcome::Added);
  store::Inbox inbox(f.redis, f.keys);
  REQUIRE(inbox.add({"", "", p.e164(), f.subscribers.subject(p), "¿a qué hora es el taller?", "twilio", "SM2"},
                    std::chrono::hours(1)));
  REQUIRE(inbox.add({"", "", "+15595550148", f.subscribers.subject(phone("+15595550148")), "hello", "twilio", "SM3"},
                    std::chrono::hours(1)));
  const std::string subject = f.subscribers.subject(p);

  const auto erased = f.subscribers.forget(p);
  CHECK(erased.was_stored);
  CHECK(erased.consent_entries == 1);
  CHECK(erased.inbox_texts == 1);

  CHECK_FALSE(f.subscribers.get(p));
  CHECK(f.subscribers.count({}, {}) == 0);
  CHECK(f.subscribers.all_numbers().empty());
  const auto history = f.log.history(subject);
  REQUIRE(actions(history) == std::vector<std::string>{"opt_in", "forget"});
  for (const auto& e : history) {
    CHECK_FALSE(e.phone);
    CHECK_FALSE(e.text);
    CHECK(e.subject == subject);
  }
  // Nothing in Redis holds the number any more, in keys or values.
  const auto all_keys = f.redis.command({"KEYS", "*"});
  REQUIRE(all_keys.as_array().size() > 3);
  for (const auto& key : all_keys.as_array()) {
    CHECK(key.as_string().find("5595550147") == std::string::npos);
    const std::string type = f.redis.command({"TYPE", key.as_string()}).as_string();
    if (type == "set") {
      CHECK(f.redis.command({"SISMEMBER", key.as_string(), p.e164()}).as_integer() == 0);
    } else if (type == "hash") {
      for (const auto& [field, value] : f.redis.command({"HGETALL", key.as_string()}).as_map()) {
        CHECK(value.find("5595550147") == std::string::npos);
      }
    }
  }
  const auto left = inbox.latest(10);
  REQUIRE(left.size() == 1);
  CHECK(left[0].text == "hello");
  // Still opted out: import cannot bring the number back.
  CHECK(f.subscribers.opted_out(p));
  CHECK(f.subscribers.upsert({store::Subscriber{p, "es", {}, "active", "import", ""}}) ==
        std::vector<UpsertResult>{UpsertResult::Suppressed});
}

TEST_CASE("the inbox keeps each text once, newest last, and pages by id") {
  Fixture f;
  store::Inbox inbox(f.redis, f.keys);
  const auto p = phone("+15595550150");
  const std::string subject = f.subscribers.subject(p);
  CHECK(inbox.add({"", "", p.e164(), subject, "first", "twilio", "SM1"}, std::chrono::hours(1)));
  CHECK_FALSE(inbox.add({"", "", p.e164(), subject, "first", "twilio", "SM1"}, std::chrono::hours(1)));
  CHECK(inbox.add({"", "", p.e164(), subject, "second", "kannel", ""}, std::chrono::hours(1)));
  CHECK(inbox.add({"", "", p.e164(), subject, "second", "kannel", ""}, std::chrono::hours(1)));  // no id: kept
  const auto all = inbox.latest(10);
  REQUIRE(all.size() == 3);
  CHECK(all[0].text == "first");
  CHECK(all[2].endpoint == "kannel");
  CHECK(inbox.latest(1).at(0).id == all[2].id);
  CHECK(inbox.latest(10, all[0].id).size() == 2);
}

TEST_CASE("auto-replies to one number are capped per hour") {
  Fixture f;
  const auto now = std::chrono::system_clock::now();
  for (int i = 0; i < 3; ++i) CHECK(store::take_reply_quota(f.redis, f.keys, "abc", 3, now));
  CHECK_FALSE(store::take_reply_quota(f.redis, f.keys, "abc", 3, now));
  CHECK(store::take_reply_quota(f.redis, f.keys, "other", 3, now));
  CHECK(store::take_reply_quota(f.redis, f.keys, "abc", 3, now + std::chrono::hours(1)));
}

TEST_CASE("subject hashes are keyed: the same key gives the same subject, another key another") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const auto p = phone("+15595550142");
  const auto a = store::SubjectHasher::load(redis, store::Keys("t:"), std::nullopt);
  const auto b = store::SubjectHasher::load(redis, store::Keys("t:"), std::nullopt);
  const auto c = store::SubjectHasher::load(redis, store::Keys("t:"), std::string("a-configured-key-of-32-bytes...."));
  CHECK(a.subject(p) == b.subject(p));
  CHECK(a.subject(p) != c.subject(p));
  CHECK(a.subject(p).size() == 32);
  CHECK(a.subject(p) != a.subject(phone("+15595550143")));
  CHECK_THROWS_AS(store::SubjectHasher("short"), Error);
}

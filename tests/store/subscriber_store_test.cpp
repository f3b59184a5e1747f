// The subscriber store on a real redis-server: indexes, audiences, opt-outs.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>

#include "store/redis_client.h"
#include "store/subscriber_store.h"
#include "support/redis_server.h"

using namespace broadcaster;
using store::Subscriber;
using store::UpsertResult;

namespace {

Subscriber sub(const std::string& number, const std::string& lang, std::vector<std::string> tags) {
  return Subscriber{*util::Phone::parse(number, "US"), lang, std::move(tags), "active", "import", ""};
}

}  // namespace

TEST_CASE("subscribers are found by language and tag through indexes") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  store::SubscriberStore store(redis, store::Keys("t:"));
  const auto results = store.upsert({sub("+15595550101", "es", {"fresno", "daca"}),
                                     sub("+15595550102", "es", {"tulare"}),
                                     sub("+15595550103", "en", {"fresno"}),
                                     sub("+15595550104", "hmn", {"fresno"})});
  CHECK(results == std::vector<UpsertResult>(4, UpsertResult::Added));
  CHECK(store.count({}, {}) == 4);
  CHECK(store.audience({"es"}, {"fresno"}) == std::vector<std::string>{"+15595550101"});
  CHECK(store.audience({"es", "en"}, {"fresno"}) == std::vector<std::string>{"+15595550101", "+15595550103"});
  CHECK(store.audience({}, {"tulare", "daca"}) == std::vector<std::string>{"+15595550101", "+15595550102"});
  CHECK(store.count({"hmn"}, {}) == 1);
  CHECK(store.count({"vi"}, {}) == 0);
  // No scratch keys are left behind.
  CHECK(redis.command({"KEYS", "t:{subs}:tmp:*"}).as_array().empty());
}

TEST_CASE("updating a subscriber moves it between indexes and keeps its consent") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  store::SubscriberStore store(redis, store::Keys("t:"));
  auto first = sub("+15595550101", "es", {"fresno"});
  first.consent_source = "web form";
  first.consent_at = "2026-01-01T00:00:00Z";
  REQUIRE(store.upsert({first}) == std::vector<UpsertResult>{UpsertResult::Added});
  REQUIRE(store.upsert({sub("+15595550101", "en", {"tulare"})}) == std::vector<UpsertResult>{UpsertResult::Updated});
  CHECK(store.count({"es"}, {}) == 0);
  CHECK(store.count({}, {"fresno"}) == 0);
  CHECK(store.count({"en"}, {"tulare"}) == 1);
  const auto got = store.get(*util::Phone::parse("+15595550101", "US"));
  REQUIRE(got);
  CHECK(got->language == "en");
  CHECK(got->consent_source == "web form");
  CHECK(got->consent_at == "2026-01-01T00:00:00Z");
}

TEST_CASE("an opted-out number leaves every audience and import cannot bring it back") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  store::SubscriberStore store(redis, store::Keys("t:"));
  REQUIRE(store.upsert({sub("+15595550101", "es", {"fresno"}), sub("+15595550102", "es", {"fresno"})}).size() == 2);
  const auto phone = *util::Phone::parse("+15595550101", "US");
  CHECK(store.stop(phone, "keyword STOP"));
  CHECK_FALSE(store.stop(phone, "keyword STOP"));  // already stopped
  CHECK(store.audience({"es"}, {}) == std::vector<std::string>{"+15595550102"});
  CHECK(store.get(phone)->status == "stopped");
  CHECK(store.upsert({sub("+15595550101", "es", {"fresno"})}) == std::vector<UpsertResult>{UpsertResult::Suppressed});
  CHECK(store.count({"es"}, {}) == 1);

  // A STOP from a number we never stored also blocks a later import.
  const auto stranger = *util::Phone::parse("+15595550177", "US");
  CHECK(store.stop(stranger, "keyword STOP"));
  CHECK(store.upsert({sub("+15595550177", "en", {})}) == std::vector<UpsertResult>{UpsertResult::Suppressed});
  CHECK_FALSE(store.get(stranger));
}

TEST_CASE("a large import is pipelined and indexes every row") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  store::SubscriberStore store(redis, store::Keys("t:"));
  std::vector<Subscriber> batch;
  for (int i = 0; i < 3000; ++i) {
    // Fictional-format numbers; they only ever reach local fakes.
    batch.push_back(sub("+1559" + std::to_string(2000000 + i), i % 3 == 0 ? "es" : "en", {i % 2 ? "fresno" : "kern"}));
  }
  const auto results = store.upsert(batch);
  CHECK(std::count(results.begin(), results.end(), UpsertResult::Added) == 3000);
  CHECK(store.count({"es"}, {}) == 1000);
  CHECK(store.count({"en"}, {"fresno"}) == 1000);
}

TEST_CASE("an audience of many slices is read whole, each member once, with language and own zone") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  store::SubscriberStore store(redis, store::Keys("t:"));
  // 5,000 subscribers: several SSCAN slices of every index. Languages es,
  // en, hmn and mix; tags fresno, kern, tulare; every 7th stopped; every
  // 5th with a zone of their own.
  const std::vector<std::string> langs{"es", "en", "hmn", "mix"};
  const std::vector<std::string> tags{"fresno", "kern", "tulare"};
  std::vector<Subscriber> batch;
  for (int i = 0; i < 5000; ++i) {
    // Fictional-format numbers; they only ever reach local fakes.
    Subscriber s = sub("+1559" + std::to_string(3000000 + i), langs[i % 4], {tags[i % 3]});
    if (i % 5 == 0) s.time_zone = "America/Chicago";
    batch.push_back(std::move(s));
  }
  REQUIRE(store.upsert(batch).size() == 5000);
  store.set_time_zones(batch);
  for (int i = 0; i < 5000; i += 7) REQUIRE(store.stop(batch[i].address, "keyword STOP"));

  // What each audience should be, worked out from the rows themselves.
  auto expected = [&](const std::vector<std::string>& want_langs, const std::vector<std::string>& want_tags) {
    std::vector<std::string> out;
    for (int i = 0; i < 5000; ++i) {
      const auto& s = batch[i];
      const bool lang_ok = want_langs.empty() ||
                           std::find(want_langs.begin(), want_langs.end(), s.language) != want_langs.end();
      const bool tag_ok =
          want_tags.empty() || std::find(want_tags.begin(), want_tags.end(), s.tags.front()) != want_tags.end();
      if (i % 7 != 0 && lang_ok && tag_ok) out.push_back(s.address.canonical());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // Walked from the active set, from a tag's index, from a language's index.
  CHECK(store.audience({}, {}) == expected({}, {}));
  CHECK(store.audience({}, {"kern"}) == expected({}, {"kern"}));
  CHECK(store.audience({"hmn"}, {}) == expected({"hmn"}, {}));
  CHECK(store.audience({"es", "mix"}, {"fresno", "tulare"}) == expected({"es", "mix"}, {"fresno", "tulare"}));
  CHECK(store.audience({"en"}, {"fresno"}) == expected({"en"}, {"fresno"}));
  CHECK(store.count({"en"}, {"fresno"}) == static_cast<long long>(expected({"en"}, {"fresno"}).size()));

  // Each member's language and zone come with the audience.
  const auto members = store.audience_members({}, {"tulare"});
  REQUIRE(members.size() == expected({}, {"tulare"}).size());
  std::map<std::string, const Subscriber*> by_number;
  for (const auto& s : batch) by_number[s.address.canonical()] = &s;
  for (const auto& m : members) {
    const Subscriber& s = *by_number.at(m.address);
    INFO(m.address);
    CHECK(m.language == s.language);
    CHECK(m.time_zone == s.time_zone);
  }
}

TEST_CASE("each member's language comes from the address-to-language hash, or from the record when it has none") {
  testing::RedisServer server;
  store::RedisClient redis(server.endpoint());
  const store::Keys keys("t:");
  store::SubscriberStore store(redis, keys);
  REQUIRE(store
              .upsert({sub("+15595550101", "es", {"fresno"}), sub("+15595550102", "hmn", {"fresno"}),
                       sub("+15595550103", "en", {"fresno"})})
              .size() == 3);
  auto languages = [&] {
    std::map<std::string, std::string> out;
    for (const auto& m : store.audience_members({}, {})) out[m.address] = m.language.value_or("-");
    return out;
  };
  const std::map<std::string, std::string> imported{
      {"+15595550101", "es"}, {"+15595550102", "hmn"}, {"+15595550103", "en"}};
  CHECK(languages() == imported);
  // The hash holds what the record holds, and follows a change.
  CHECK(redis.command({"HGET", keys.languages(), "+15595550102"}).as_string() == "hmn");
  REQUIRE(store.upsert({sub("+15595550102", "pa", {"fresno"})}) == std::vector<UpsertResult>{UpsertResult::Updated});
  CHECK(redis.command({"HGET", keys.languages(), "+15595550102"}).as_string() == "pa");
  // A subscriber stored before the hash existed is read from their record.
  REQUIRE(redis.command({"HDEL", keys.languages(), "+15595550101"}).as_integer() == 1);
  const auto now = languages();
  CHECK(now.at("+15595550101") == "es");
  CHECK(now.at("+15595550102") == "pa");
  // Erased: gone from the hash too.
  (void)store.forget(*util::Phone::parse("+15595550103", "US"));
  CHECK(redis.command({"HEXISTS", keys.languages(), "+15595550103"}).as_integer() == 0);
  CHECK(languages().size() == 2);
}

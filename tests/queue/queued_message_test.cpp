// Queue entries as Redis returns them: messages, entries deleted while
// pending, and entries that cannot be used (set aside by the sender).
#include "queue/queued_message.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace broadcaster::queue {
namespace {

using store::RedisValue;

RedisValue entry(const std::string& id, std::vector<std::pair<std::string, std::string>> fields) {
  std::vector<RedisValue> flat;
  for (auto& [k, v] : fields) {
    flat.push_back(RedisValue::string(k));
    flat.push_back(RedisValue::string(v));
  }
  return RedisValue::array({RedisValue::string(id), RedisValue::array(std::move(flat))});
}

}  // namespace

TEST_CASE("a queue entry is a message, a deleted entry, or unusable with a reason", "[queue]") {
  const std::vector<std::pair<std::string, std::string>> good{
      {"to", "+15595550142"}, {"lang", "es"}, {"channel", "sms"}, {"campaign", "c1"}, {"body", "Hola"}};
  SECTION("a message") {
    const auto parsed = parse_entry(entry("1-0", good), "");
    REQUIRE(parsed.message);
    CHECK(parsed.message->to.canonical() == "+15595550142");
    CHECK(parsed.message->body == "Hola");
    CHECK(parsed.message->language == "es");
    CHECK_FALSE(parsed.deleted());
  }
  SECTION("a message to an email address or a Telegram chat") {
    for (const std::string to : {"email:ana@example.org", "telegram:123456789"}) {
      auto fields = good;
      fields[0].second = to;
      const auto parsed = parse_entry(entry("1-1", fields), "");
      REQUIRE(parsed.message);
      CHECK(parsed.message->to.canonical() == to);
      CHECK_FALSE(parsed.message->to.is_phone());
      CHECK(nlohmann::json::parse(entry_json(*parsed.message)).at("to") == to);
    }
  }
  SECTION("a campaign's entry: a reference to its text, the stream's campaign") {
    const auto parsed =
        parse_entry(entry("1-1", {{"to", "+15595550142"}, {"lang", "es"}, {"body_ref", "0a1b2c3d4e5f"}}), "c7");
    REQUIRE(parsed.message);
    CHECK(parsed.needs_body());
    CHECK(parsed.message->campaign == "c7");
    CHECK(parsed.message->body_ref == "0a1b2c3d4e5f");
    CHECK(parsed.message->body.empty());
    // Set aside (defer.lua), it keeps the reference, not a text.
    const auto kept = nlohmann::json::parse(entry_json(*parsed.message));
    CHECK(kept.at("body_ref") == "0a1b2c3d4e5f");
    CHECK_FALSE(kept.contains("body"));
  }
  SECTION("an entry's own text and campaign win (a keyword reply)") {
    const auto parsed = parse_entry(
        entry("1-2", {{"to", "+15595550142"}, {"campaign", "r1"}, {"body", "Hola"}, {"body_ref", "0a1b2c3d4e5f"}}),
        "c7");
    REQUIRE(parsed.message);
    CHECK_FALSE(parsed.needs_body());
    CHECK(parsed.message->campaign == "r1");
    CHECK(parsed.message->body == "Hola");
  }
  SECTION("deleted while pending: an id with no fields") {
    const auto parsed = parse_entry(RedisValue::array({RedisValue::string("2-0"), RedisValue{}}), "c1");
    CHECK(parsed.entry_id == "2-0");
    CHECK(parsed.deleted());
  }
  struct Case {
    const char* label;
    std::vector<std::pair<std::string, std::string>> fields;
    const char* problem;
  };
  const std::vector<Case> cases = {
      {"no recipient", {{"campaign", "c1"}, {"body", "x"}}, "no 'to' field"},
      {"a recipient that is not E.164",
       {{"to", "5595550142"}, {"campaign", "c1"}, {"body", "x"}},
       "'to' is not an address in its stored form"},
      {"an email address not in its stored form (not lower-cased)",
       {{"to", "email:Ana@example.org"}, {"campaign", "c1"}, {"body", "x"}},
       "'to' is not an address in its stored form"},
      {"no campaign", {{"to", "+15595550142"}, {"body", "x"}}, "no 'campaign' field"},
      {"no body", {{"to", "+15595550142"}, {"campaign", "c1"}}, "no 'body' or 'body_ref' field"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto parsed = parse_entry(entry("3-0", c.fields), "");
      CHECK_FALSE(parsed.message);
      CHECK_FALSE(parsed.deleted());
      CHECK(parsed.entry_id == "3-0");
      CHECK(parsed.problem == c.problem);
    }
  }
  SECTION("not an entry at all") { CHECK(parse_entry(RedisValue::string("x"), "c1").problem == "not a stream entry"); }
}

}  // namespace broadcaster::queue

// Queue entries as Redis returns them: messages, entries deleted while
// pending, and entries that cannot be used (set aside by the sender).
#include "queue/queued_message.h"

#include <catch2/catch.hpp>

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
    const auto parsed = parse_entry(entry("1-0", good));
    REQUIRE(parsed.message);
    CHECK(parsed.message->to.e164() == "+15595550142");
    CHECK(parsed.message->body == "Hola");
    CHECK(parsed.message->language == "es");
    CHECK_FALSE(parsed.deleted());
  }
  SECTION("deleted while pending: an id with no fields") {
    const auto parsed = parse_entry(RedisValue::array({RedisValue::string("2-0"), RedisValue{}}));
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
      {"a recipient that is not E.164", {{"to", "5595550142"}, {"campaign", "c1"}, {"body", "x"}},
       "'to' is not an E.164 number"},
      {"no campaign", {{"to", "+15595550142"}, {"body", "x"}}, "no 'campaign' field"},
      {"no body", {{"to", "+15595550142"}, {"campaign", "c1"}}, "no 'body' field"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      const auto parsed = parse_entry(entry("3-0", c.fields));
      CHECK_FALSE(parsed.message);
      CHECK_FALSE(parsed.deleted());
      CHECK(parsed.entry_id == "3-0");
      CHECK(parsed.problem == c.problem);
    }
  }
  SECTION("not an entry at all") { CHECK(parse_entry(RedisValue::string("x")).problem == "not a stream entry"); }
}

}  // namespace broadcaster::queue

// RedisValue: copying hiredis replies and the checked accessors.
// Replies are produced by hiredis's own RESP parser from wire bytes, so the
// copies are checked against what a real server would send.
#include "store/redis_value.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "util/c_handle.h"
#include "util/errors.h"

namespace broadcaster::store {
namespace {

using ReaderPtr = std::unique_ptr<redisReader, util::CFree<&redisReaderFree>>;

// Parses one RESP2 reply with hiredis and copies it.
RedisValue parse(const std::string& wire) {
  ReaderPtr reader(redisReaderCreate());
  REQUIRE(reader);
  REQUIRE(redisReaderFeed(reader.get(), wire.data(), wire.size()) == REDIS_OK);
  void* raw = nullptr;
  REQUIRE(redisReaderGetReply(reader.get(), &raw) == REDIS_OK);
  REQUIRE(raw != nullptr);
  const util::ReplyPtr reply(static_cast<redisReply*>(raw));
  return RedisValue::from_reply(reply.get());
}

TEST_CASE("from_reply copies every RESP2 reply type", "[redis_value]") {
  using namespace std::string_literals;
  struct Case {
    const char* label;
    std::string wire;
    RedisValue expected;
  };
  const std::vector<Case> cases = {
      {"status", "+OK\r\n", RedisValue::status("OK")},
      {"error", "-WRONGTYPE wrong kind\r\n", RedisValue::error("WRONGTYPE wrong kind")},
      {"integer", ":-42\r\n", RedisValue::integer_value(-42)},
      {"bulk string with embedded NUL", "$3\r\na\0b\r\n"s, RedisValue::string("a\0b"s)},
      {"UTF-8 bulk string", "$13\r\n\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87\r\n",
       RedisValue::string("\xc3\x9anete \xe4\xb8\xad\xe6\x96\x87")},
      {"empty bulk string", "$0\r\n\r\n", RedisValue::string("")},
      {"nil bulk string", "$-1\r\n", RedisValue::nil()},
      {"nil array", "*-1\r\n", RedisValue::nil()},
      {"empty array", "*0\r\n", RedisValue::array({})},
      {"nested array", "*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n$-1\r\n-ERR inner\r\n",
       RedisValue::array({RedisValue::integer_value(1),
                          RedisValue::array({RedisValue::string("foo"), RedisValue::nil()}),
                          RedisValue::error("ERR inner")})},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(parse(c.wire) == c.expected); }
  }
}

TEST_CASE("a null reply copies as nil", "[redis_value]") {
  CHECK(RedisValue::from_reply(nullptr).is_nil());
}

TEST_CASE("as_integer accepts integers and strings holding exactly an integer", "[redis_value]") {
  struct Case {
    const char* label;
    RedisValue value;
    long long expected;
  };
  const std::vector<Case> cases = {
      {"integer reply", RedisValue::integer_value(7), 7},
      {"counter read with HGET", RedisValue::string("42"), 42},
      {"negative string", RedisValue::string("-7"), -7},
      {"largest long long", RedisValue::string("9223372036854775807"), 9223372036854775807LL},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) { CHECK(c.value.as_integer() == c.expected); }
  }
}

TEST_CASE("accessors reject the wrong type with a message naming it", "[redis_value]") {
  struct Case {
    const char* label;
    RedisValue value;
    std::function<void(const RedisValue&)> access;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {"string from integer", RedisValue::integer_value(1),
       [](const RedisValue& v) { (void)v.as_string(); },
       "expected a string reply from Redis, got integer"},
      {"string from error quotes the server", RedisValue::error("ERR boom"),
       [](const RedisValue& v) { (void)v.as_string(); }, "got error: ERR boom"},
      {"string from nil", RedisValue::nil(), [](const RedisValue& v) { (void)v.as_string(); },
       "got nil"},
      {"integer from text", RedisValue::string("4x2"),
       [](const RedisValue& v) { (void)v.as_integer(); }, "not an integer"},
      {"integer from empty string", RedisValue::string(""),
       [](const RedisValue& v) { (void)v.as_integer(); }, "not an integer"},
      {"integer out of range", RedisValue::string("99999999999999999999"),
       [](const RedisValue& v) { (void)v.as_integer(); }, "not an integer"},
      {"integer from array", RedisValue::array({}),
       [](const RedisValue& v) { (void)v.as_integer(); }, "got array"},
      {"array from nil", RedisValue::nil(), [](const RedisValue& v) { (void)v.as_array(); },
       "expected an array reply from Redis, got nil"},
      {"optional string from integer", RedisValue::integer_value(3),
       [](const RedisValue& v) { (void)v.as_optional_string(); }, "got integer"},
      {"map from odd array",
       RedisValue::array(
           {RedisValue::string("a"), RedisValue::string("1"), RedisValue::string("b")}),
       [](const RedisValue& v) { (void)v.as_map(); }, "array of 3 elements"},
      {"map with a non-string member",
       RedisValue::array({RedisValue::string("a"), RedisValue::integer_value(1)}),
       [](const RedisValue& v) { (void)v.as_map(); }, "got integer"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.label) {
      CHECK_THROWS_AS(c.access(c.value), RedisReplyError);
      CHECK_THROWS_WITH(c.access(c.value), Catch::Contains(c.message_part));
    }
  }
}

TEST_CASE("type errors never quote the reply's content", "[redis_value]") {
  // Values may be subscribers' phone numbers, which must not reach a log.
  const RedisValue phone = RedisValue::string("+15595550142 ");
  CHECK_THROWS_WITH((void)phone.as_integer(), !Catch::Contains("5595550142"));
  CHECK_THROWS_WITH((void)phone.as_integer(), Catch::Contains("13 bytes"));
}

TEST_CASE("optional strings and maps", "[redis_value]") {
  CHECK(RedisValue::nil().as_optional_string() == std::nullopt);
  CHECK(RedisValue::string("v").as_optional_string() == std::optional<std::string>("v"));
  CHECK(RedisValue::status("OK").as_string() == "OK");
  CHECK(RedisValue::nil().as_map().empty());
  CHECK(RedisValue::array({}).as_map().empty());
  const auto hgetall = parse("*4\r\n$4\r\nsent\r\n$2\r\n12\r\n$6\r\nfailed\r\n$1\r\n0\r\n");
  CHECK(hgetall.as_map() == std::map<std::string, std::string>{{"sent", "12"}, {"failed", "0"}});
}

}  // namespace
}  // namespace broadcaster::store

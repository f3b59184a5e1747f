// Copying hiredis replies into RedisValue, and its checked accessors.
#include "store/redis_value.h"

#include <charconv>

#include "util/errors.h"

namespace broadcaster::store {

namespace {

[[noreturn]] void throw_wrong_type(std::string_view expected, const RedisValue& got) {
  std::string message = "expected " + std::string(expected) + " reply from Redis, got " +
                        std::string(type_name(got.type));
  if (got.type == RedisValue::Type::Error) message += ": " + got.str;
  throw RedisReplyError(message);
}

}  // namespace

std::string_view type_name(RedisValue::Type type) noexcept {
  switch (type) {
    case RedisValue::Type::Nil:
      return "nil";
    case RedisValue::Type::Status:
      return "status";
    case RedisValue::Type::Error:
      return "error";
    case RedisValue::Type::Integer:
      return "integer";
    case RedisValue::Type::String:
      return "string";
    case RedisValue::Type::Array:
      return "array";
  }
  return "unknown";
}

RedisValue RedisValue::from_reply(const redisReply* reply) {
  RedisValue v;
  if (reply == nullptr) return v;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      v.type = Type::String;
      v.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = Type::Status;
      v.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = Type::Error;
      v.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      v.type = Type::Integer;
      v.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      v.type = Type::Array;
      v.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) {
        v.elements.push_back(from_reply(reply->element[i]));
      }
      break;
    case REDIS_REPLY_NIL:
    default:
      break;
  }
  return v;
}

const std::string& RedisValue::as_string() const {
  if (type != Type::String && type != Type::Status) throw_wrong_type("a string", *this);
  return str;
}

long long RedisValue::as_integer() const {
  if (type == Type::Integer) return integer;
  if (type == Type::String) {
    long long n = 0;
    const char* first = str.data();
    const char* last = first + str.size();
    const auto [end, ec] = std::from_chars(first, last, n);
    if (ec == std::errc() && end == last && !str.empty()) return n;
    throw RedisReplyError("expected an integer reply from Redis, got a string of " +
                          std::to_string(str.size()) + " bytes that is not an integer");
  }
  throw_wrong_type("an integer", *this);
}

const std::vector<RedisValue>& RedisValue::as_array() const {
  if (type != Type::Array) throw_wrong_type("an array", *this);
  return elements;
}

std::optional<std::string> RedisValue::as_optional_string() const {
  if (type == Type::Nil) return std::nullopt;
  return as_string();
}

std::map<std::string, std::string> RedisValue::as_map() const {
  std::map<std::string, std::string> out;
  if (type == Type::Nil) return out;
  const auto& items = as_array();
  if (items.size() % 2 != 0) {
    throw RedisReplyError("expected field/value pairs from Redis, got an array of " +
                          std::to_string(items.size()) + " elements");
  }
  for (std::size_t i = 0; i < items.size(); i += 2) {
    out.insert_or_assign(items[i].as_string(), items[i + 1].as_string());
  }
  return out;
}

}  // namespace broadcaster::store

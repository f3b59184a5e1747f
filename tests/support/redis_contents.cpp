// Reading every key of a Redis database by type.
#include "support/redis_contents.h"

#include <stdexcept>

namespace broadcaster::testing {

namespace {

void check(std::vector<std::string>& out, const std::string& bytes, const std::string& needle,
           const std::string& where) {
  if (bytes.find(needle) != std::string::npos) out.push_back(where);
}

// Every string inside a (possibly nested) reply.
void check_all(std::vector<std::string>& out, const store::RedisValue& v, const std::string& needle,
               const std::string& where) {
  if (v.type == store::RedisValue::Type::Array) {
    for (const auto& item : v.as_array()) check_all(out, item, needle, where);
  } else if (v.type == store::RedisValue::Type::String) {
    check(out, v.as_string(), needle, where);
  }
}

}  // namespace

std::vector<std::string> places_holding(store::RedisClient& redis, const std::string& needle) {
  std::vector<std::string> out;
  std::string cursor = "0";
  do {
    const auto page = redis.command({"SCAN", cursor, "COUNT", "1000"});
    cursor = page.as_array().at(0).as_string();
    for (const auto& k : page.as_array().at(1).as_array()) {
      const std::string& key = k.as_string();
      check(out, key, needle, key);
      const std::string type = redis.command({"TYPE", key}).as_string();
      if (type == "none") continue;  // expired or deleted since SCAN saw it
      check_all(out, redis.command({"DUMP", key}), needle, key + " serialized");
      if (type == "string") {
        check_all(out, redis.command({"GET", key}), needle, key + " value");
      } else if (type == "list") {
        check_all(out, redis.command({"LRANGE", key, "0", "-1"}), needle, key + " element");
      } else if (type == "set") {
        check_all(out, redis.command({"SMEMBERS", key}), needle, key + " member");
      } else if (type == "zset") {
        check_all(out, redis.command({"ZRANGE", key, "0", "-1"}), needle, key + " member");
      } else if (type == "hash") {
        for (const auto& [field, value] : redis.command({"HGETALL", key}).as_map()) {
          check(out, field, needle, key + " field " + field);
          check(out, value, needle, key + " field " + field + " value");
        }
      } else if (type == "stream") {
        const store::RedisValue entries = redis.command({"XRANGE", key, "-", "+"});
        for (const auto& entry : entries.as_array()) {
          check_all(out, entry.as_array().at(1), needle, key + " entry " + entry.as_array().at(0).as_string());
        }
      } else {
        throw std::runtime_error("places_holding: cannot read key '" + key + "' of type " + type);
      }
    }
  } while (cursor != "0");
  return out;
}

RedisServerOptions uncompressed_dumps() {
  RedisServerOptions options;
  options.extra_args = {"--rdbcompression", "no"};
  return options;
}

std::vector<std::string> existing_keys(store::RedisClient& redis, const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys) {
    if (redis.command({"EXISTS", key}).as_integer() == 1) out.push_back(key);
  }
  return out;
}

}  // namespace broadcaster::testing

// An owned copy of one Redis reply.
// Design: hiredis frees its `redisReply` as soon as an async callback returns,
// and replies must cross into Asio handlers that run later, so every reply is
// copied once into this plain value type. Accessors check the type and throw
// RedisReplyError naming what was expected and what arrived; messages never
// include the reply's content, which may be a subscriber's phone number.
#pragma once

#include <hiredis/hiredis.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broadcaster::store {

/// One Redis reply (RESP2), deep-copied out of hiredis.
struct RedisValue {
  /// The RESP2 reply kinds.
  enum class Type { Nil, Status, Error, Integer, String, Array };

  Type type = Type::Nil;
  long long integer = 0;             ///< the value of an Integer reply
  std::string str;                   ///< bytes of a Status, Error or String reply (binary safe)
  std::vector<RedisValue> elements;  ///< the members of an Array reply

  /// Deep-copies `reply`, including nested arrays. A null `reply` gives Nil;
  /// callers that can receive null (hiredis on I/O errors) check for it first.
  static RedisValue from_reply(const redisReply* reply);

  /// Convenience constructors, used by tests and fakes.
  static RedisValue nil() { return RedisValue{}; }
  static RedisValue status(std::string text) { return make(Type::Status, std::move(text)); }
  static RedisValue error(std::string text) { return make(Type::Error, std::move(text)); }
  static RedisValue string(std::string bytes) { return make(Type::String, std::move(bytes)); }
  static RedisValue integer_value(long long n) {
    RedisValue v;
    v.type = Type::Integer;
    v.integer = n;
    return v;
  }
  static RedisValue array(std::vector<RedisValue> items) {
    RedisValue v;
    v.type = Type::Array;
    v.elements = std::move(items);
    return v;
  }

  /// True for a Nil reply (missing key, empty BLPOP, aborted EXEC).
  [[nodiscard]] bool is_nil() const noexcept { return type == Type::Nil; }
  /// True for an Error reply ("ERR ...", "WRONGTYPE ...", "NOSCRIPT ...").
  [[nodiscard]] bool is_error() const noexcept { return type == Type::Error; }
  /// True for the error a script call gets when Redis no longer has the
  /// script cached (a restart, SCRIPT FLUSH): the call did not run.
  [[nodiscard]] bool is_noscript() const noexcept { return is_error() && str.rfind("NOSCRIPT", 0) == 0; }

  /// The bytes of a String or Status reply.
  /// Throws RedisReplyError naming the actual type otherwise (and quoting the
  /// server's text when it is an Error reply).
  [[nodiscard]] const std::string& as_string() const;

  /// The value of an Integer reply, or of a String reply holding a base-10
  /// integer ("42", "-7"), as HGET returns counters.
  /// Throws RedisReplyError for any other type or a String that is not exactly
  /// an integer in the range of long long.
  [[nodiscard]] long long as_integer() const;

  /// The elements of an Array reply. Throws RedisReplyError otherwise,
  /// including for a Nil array.
  [[nodiscard]] const std::vector<RedisValue>& as_array() const;

  /// nullopt for Nil, the bytes for String or Status.
  /// Throws RedisReplyError for other types.
  [[nodiscard]] std::optional<std::string> as_optional_string() const;

  /// A flat field/value Array (HGETALL, CONFIG GET) as a map. Nil and the
  /// empty array give an empty map. Throws RedisReplyError if the array has
  /// an odd length or a member that is not a string.
  [[nodiscard]] std::map<std::string, std::string> as_map() const;

  /// Structural equality, for tests.
  friend bool operator==(const RedisValue&, const RedisValue&) = default;

 private:
  static RedisValue make(Type t, std::string s) {
    RedisValue v;
    v.type = t;
    v.str = std::move(s);
    return v;
  }
};

/// The lowercase name of a reply type for messages: "nil", "status",
/// "error", "integer", "string", "array".
[[nodiscard]] std::string_view type_name(RedisValue::Type type) noexcept;

}  // namespace broadcaster::store

// Synchronous Redis client for CLI commands (import, enqueue, stats, ops).
// Design: one blocking hiredis connection owned through util::RedisContextPtr,
// with the endpoint's connect and command time-outs applied to the socket, so
// no call waits forever. Commands are argv vectors, binary safe. A single
// command turns an error reply into RedisReplyError; pipelines return error
// replies as values so bulk work can report them per row. After an I/O error
// or time-out hiredis marks the connection broken and every later call throws
// RedisIoError at once; construct a new client to reconnect.
// Never use this client inside the `serve` event loop: it blocks (use
// AsyncRedis there). The process should ignore SIGPIPE, so that writing to a
// server that died fails with RedisIoError instead of killing the process.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/redis_endpoint.h"
#include "store/redis_value.h"
#include "store/script.h"
#include "util/c_handle.h"

namespace broadcaster::store {

/// A blocking connection to one Redis server. Not thread safe; movable, not
/// copyable. A moved-from client throws RedisIoError on use.
class RedisClient {
 public:
  /// Connects within `endpoint.connect_timeout`, sends AUTH when a password is
  /// set and SELECT when `db` is not 0.
  /// Throws RedisIoError naming the address and what to check when Redis
  /// cannot be reached, and RedisReplyError when it rejects AUTH or SELECT
  /// (the message never contains the password).
  explicit RedisClient(const RedisEndpoint& endpoint);

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  RedisClient(RedisClient&&) noexcept = default;
  RedisClient& operator=(RedisClient&&) noexcept = default;
  ~RedisClient() = default;

  /// Runs one command, e.g. {"HSET", key, field, value}; arguments may hold any
  /// bytes. Returns the reply (never of Type::Error).
  /// Throws RedisReplyError naming the command for an error reply, and
  /// RedisIoError when the connection fails or the reply does not arrive
  /// within `command_timeout`.
  RedisValue command(const std::vector<std::string>& argv);

  /// Sends all `commands` in one write and reads one reply per command, in
  /// order. Error replies are returned as values of Type::Error, not thrown.
  /// Throws RedisIoError when the connection fails; then it is unknown which
  /// commands ran. Callers bound batch sizes (about 1000 commands) themselves.
  [[nodiscard]] std::vector<RedisValue> pipeline(
      const std::vector<std::vector<std::string>>& commands);

  /// Runs `script` with EVALSHA; when Redis answers NOSCRIPT (restart, SCRIPT
  /// FLUSH) sends the full text with EVAL, which also caches it. Returns the
  /// script's reply. Throws RedisReplyError naming the script for an error the
  /// script raised, RedisIoError as for `command`.
  RedisValue eval(const Script& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);

  /// One script call: its KEYS and its ARGV.
  using ScriptCall = std::pair<std::vector<std::string>, std::vector<std::string>>;

  /// Runs `script` once per call: SCRIPT LOAD once, then all calls as one
  /// pipeline of EVALSHA. Returns one reply per call, in order, with script
  /// errors as values of Type::Error. Calls that hit NOSCRIPT (a SCRIPT FLUSH
  /// in between) are re-sent with EVAL after the others. Throws RedisIoError
  /// when the connection fails, RedisReplyError when SCRIPT LOAD is rejected.
  [[nodiscard]] std::vector<RedisValue> eval_pipeline(const Script& script,
                                                      const std::vector<ScriptCall>& calls);

  /// The endpoint this client connected to.
  [[nodiscard]] const RedisEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  friend class ScriptStream;

  redisContext* context(std::string_view what_we_tried);
  void append(const std::vector<std::string>& argv);
  /// SCRIPT LOAD, checking that Redis names it by the SHA1 we computed.
  void load_script(const Script& script);
  /// Queues EVALSHA of `script` (EVAL with its text when `full_text`).
  void append_script(const Script& script, const std::vector<std::string>& keys, const std::vector<std::string>& args,
                     bool full_text);
  /// Writes out what is queued without waiting for replies.
  void flush(std::string_view what_we_tried);
  RedisValue read_reply(std::string_view command_name);

  RedisEndpoint endpoint_;
  util::RedisContextPtr context_;
};

}  // namespace broadcaster::store

// Calls of one Lua script streamed to Redis. Each call is written out as
// soon as it is made and its reply read only once `window` calls wait, so
// Redis runs the calls already sent while the caller builds the next ones.
// Why: a pipeline written whole and then read whole (eval_pipeline) leaves
// Redis idle while the next one is built and the caller idle while Redis
// works; at 100,000 messages the caller's 0.15 s of the 0.52 s `campaign
// submit` took were spent with Redis idle.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "store/redis_client.h"

namespace broadcaster::store {

class ScriptStream {
 public:
  /// Gets each reply (script errors as values of Type::Error) with the
  /// index of its call (0, 1, ...), in the order the calls were made, except
  /// that a call re-sent after NOSCRIPT answers after those sent before the
  /// re-sending.
  using OnReply = std::function<void(std::size_t index, const RedisValue& reply)>;

  /// Loads the script once (SCRIPT LOAD). Throws RedisIoError when the
  /// connection fails, RedisReplyError when Redis refuses the script.
  ScriptStream(RedisClient& redis, const Script& script, std::size_t window, OnReply on_reply);
  ScriptStream(const ScriptStream&) = delete;
  ScriptStream& operator=(const ScriptStream&) = delete;
  /// Reads (and drops) the replies still due, so that the client's next
  /// command gets its own reply even when `on_reply` threw.
  ~ScriptStream();

  /// Sends the next call, first handing to `on_reply` the oldest replies
  /// beyond the window. Throws RedisIoError, or whatever `on_reply` throws.
  void send(RedisClient::ScriptCall call);

  /// Waits for every reply still due and hands each to `on_reply`.
  void finish();

 private:
  struct Sent {
    std::size_t index;
    RedisClient::ScriptCall call;
  };
  void read_one();

  RedisClient& redis_;
  const Script& script_;
  std::size_t window_;
  OnReply on_reply_;
  std::deque<Sent> sent_;  // unanswered, oldest first
  std::size_t made_ = 0;
};

}  // namespace broadcaster::store

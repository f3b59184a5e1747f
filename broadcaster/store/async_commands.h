// What the asynchronous parts of `serve` (sender, rate limiter) need of
// Redis: send a command, run a script, get a callback.
// Design: an interface so that they work the same over one AsyncRedis
// connection (tests) and over a RedisLink that reconnects by itself (serve).
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "store/redis_value.h"
#include "store/script.h"

namespace broadcaster::store {

class AsyncCommands {
 public:
  /// `error` is null and `value` the reply, or `error` holds a
  /// RedisReplyError, or a RedisIoError (connection lost, Redis unavailable:
  /// RedisUnavailableError for LOADING and the like) and `value` is Nil.
  using Callback = std::function<void(std::exception_ptr error, RedisValue value)>;

  virtual ~AsyncCommands() = default;

  /// Sends one command; `cb` is posted once with the outcome (may be empty).
  virtual void command(std::vector<std::string> argv, Callback cb) = 0;

  /// Runs `script` (EVALSHA, EVAL on NOSCRIPT); `cb` as for command().
  virtual void eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args,
                    Callback cb) = 0;
};

/// True when `error` says Redis could not be reached or cannot serve yet
/// (RedisIoError and RedisUnavailableError): wait for it to come back rather
/// than giving up on the work. False for null and for other errors.
[[nodiscard]] bool is_unavailable(const std::exception_ptr& error);

/// The message of `error` (what() of the exception it holds).
[[nodiscard]] std::string describe(const std::exception_ptr& error);

}  // namespace broadcaster::store

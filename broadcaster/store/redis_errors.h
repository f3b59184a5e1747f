// Conversion of hiredis failures into broadcaster's typed Redis errors.
// Design: every message about Redis is built here, so they all say what we
// tried, at which address, and what the user can do about it. Command
// arguments never appear in messages: they may hold phone numbers or the
// password. `throw_redis_error` is the one place C error codes become
// exceptions; the async client uses `make_redis_error` for the same message
// as an exception_ptr.
#pragma once

#include <hiredis/hiredis.h>

#include <exception>
#include <string_view>

#include "util/errors.h"

namespace broadcaster::store {

struct RedisEndpoint;

/// Throws the RedisIoError describing the failure recorded in `context`
/// (`err`/`errstr`), e.g. "cannot connect to Redis at 127.0.0.1:6390
/// (Connection refused): is redis-server running? ...".
/// `what_we_tried` is a verb phrase that reads naturally before
/// "Redis at <address>": "connect to", "run GET on", "read replies from".
/// A null `context` (hiredis could not allocate one) is reported as such.
[[noreturn]] void throw_redis_error(const redisContext* context, std::string_view what_we_tried,
                                    const RedisEndpoint& endpoint);

/// The exception `throw_redis_error` would throw for hiredis error code `err`
/// (REDIS_ERR_IO, REDIS_ERR_EOF, ...) with text `errstr`, as an exception_ptr
/// for asynchronous callbacks. Always holds a RedisIoError.
[[nodiscard]] std::exception_ptr make_redis_error(int err, std::string_view errstr,
                                                  std::string_view what_we_tried,
                                                  const RedisEndpoint& endpoint);

/// The error for the error reply `server_message` ("WRONGTYPE ...") to
/// `command` (a command name such as "HINCRBY" or "script 'enqueue'"), with
/// advice for errors a user can fix (NOAUTH, WRONGPASS, OOM, READONLY, ...):
/// a RedisUnavailableError for the replies that pass by themselves (LOADING,
/// BUSY, MASTERDOWN, TRYAGAIN), a RedisReplyError for every other.
[[nodiscard]] std::exception_ptr make_reply_error(std::string_view command,
                                                  std::string_view server_message,
                                                  const RedisEndpoint& endpoint);

}  // namespace broadcaster::store

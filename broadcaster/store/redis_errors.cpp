// Messages for Redis failures: what we tried, where, and what to do next.
#include "store/redis_errors.h"

#include <string>

#include "store/redis_endpoint.h"

namespace broadcaster::store {

namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

// Advice for a broken or refused connection, chosen by what we were doing
// and by hiredis's error class and text.
std::string io_advice(int err, std::string_view errstr, std::string_view what_we_tried,
                      const RedisEndpoint& endpoint) {
  const bool connecting = starts_with(what_we_tried, "connect");
  const bool timed_out =
      contains(errstr, "timed out") || contains(errstr, "temporarily unavailable");
  switch (err) {
    case REDIS_ERR_EOF:
      return "Redis closed the connection (restarted, or reached maxclients or its client "
             "timeout); retry, and check the Redis log if it keeps happening";
    case REDIS_ERR_PROTOCOL:
      return "the server does not speak the Redis protocol; check that redis.port points at "
             "Redis";
    case REDIS_ERR_OOM:
      return "this process ran out of memory";
    case REDIS_ERR_OTHER:
      if (connecting) return "check redis.host and redis.port in the config";
      return "the connection is unusable; retry with a new connection";
    default:
      break;
  }
  if (connecting && timed_out) {
    return "nothing answered within " + millis(endpoint.connect_timeout) +
           "; check redis.host/redis.port and any firewall in between";
  }
  if (connecting) {
    return "is redis-server running? Start it with ops/quickstart or set redis.host/redis.port "
           "in the config";
  }
  if (timed_out) {
    return "Redis did not answer within " + millis(endpoint.command_timeout) +
           "; is it overloaded, blocked by a slow script, or unreachable?";
  }
  return "the connection broke (Redis restarted or the network failed); retry with a new "
         "connection";
}

// Advice for error replies a user can fix, keyed by the reply's first word.
std::string_view reply_advice(std::string_view server_message) {
  if (starts_with(server_message, "NOAUTH")) return "set redis.password in the config";
  if (starts_with(server_message, "WRONGPASS") || contains(server_message, "invalid password") ||
      contains(server_message, "no password is set")) {
    return "check redis.password in the config";
  }
  if (contains(server_message, "DB index is out of range")) return "check redis.db in the config";
  if (starts_with(server_message, "OOM")) {
    return "Redis reached its maxmemory; free memory or raise maxmemory";
  }
  if (starts_with(server_message, "READONLY")) {
    return "this server is a replica; point redis.host at the primary";
  }
  if (starts_with(server_message, "LOADING")) return "retry in a moment";
  if (starts_with(server_message, "MISCONF")) {
    return "Redis cannot write its snapshot; check its disk space and log";
  }
  if (server_message.substr(0, server_message.find(' ')) == "BUSY") {
    return "a script has run too long; wait or run SCRIPT KILL";
  }
  return {};
}

}  // namespace

std::exception_ptr make_redis_error(int err, std::string_view errstr,
                                    std::string_view what_we_tried, const RedisEndpoint& endpoint) {
  std::string message = "cannot " + std::string(what_we_tried) + " Redis at " + endpoint.describe();
  const std::string_view reason = errstr.empty() ? std::string_view("unknown error") : errstr;
  message += " (" + std::string(reason) + "): ";
  message += io_advice(err, errstr, what_we_tried, endpoint);
  return std::make_exception_ptr(RedisIoError(message));
}

void throw_redis_error(const redisContext* context, std::string_view what_we_tried,
                       const RedisEndpoint& endpoint) {
  if (context == nullptr) {
    std::rethrow_exception(
        make_redis_error(REDIS_ERR_OOM, "cannot allocate a connection", what_we_tried, endpoint));
  }
  std::rethrow_exception(make_redis_error(context->err, context->errstr, what_we_tried, endpoint));
}

std::exception_ptr make_reply_error(std::string_view command, std::string_view server_message,
                                    const RedisEndpoint& endpoint) {
  std::string message = "Redis at " + endpoint.describe() + " rejected " + std::string(command) +
                        ": " + std::string(server_message);
  const std::string_view advice = reply_advice(server_message);
  if (!advice.empty()) message += "; " + std::string(advice);
  // The first word of the reply is its error code ("BUSY", not "BUSYGROUP").
  const std::string_view code = server_message.substr(0, server_message.find(' '));
  for (const std::string_view passing : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN"}) {
    if (code == passing) return std::make_exception_ptr(RedisUnavailableError(message));
  }
  return std::make_exception_ptr(RedisReplyError(message));
}

}  // namespace broadcaster::store

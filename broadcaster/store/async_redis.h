// Asynchronous Redis client for the long-running `serve` process.
// Design: hiredis's async API does the protocol; a small adapter written here
// drives it from Asio. The connection's fd is wrapped, never owned, in a
// posix::stream_descriptor, and hiredis's addRead/addWrite hooks become
// async_wait(wait_read / wait_write); hiredis closes the fd, so the cleanup
// hook release()s it. Commands are pipelined naturally: many may be in
// flight, and replies arrive in the order commands were issued (except an
// EVALSHA that hits NOSCRIPT, whose EVAL retry answers after the commands
// issued before the retry).
//
// Callbacks never run inside hiredis or inside a call to this class: each
// reply is copied into a RedisValue and the callback is posted to the
// io_context. So callbacks may issue commands, call close(), or drop the last
// reference to this object, and an exception thrown by a callback leaves
// io_context::run() like any Asio handler's.
//
// Every callback runs exactly once, as with Asio I/O objects: with the reply,
// with RedisReplyError for an error reply, or with RedisIoError when the
// connection fails, times out, is closed, or this object is destroyed first.
// Only if the io_context is destroyed before a callback runs is the callback
// destroyed without being called (Asio's shutdown rule); an io_context
// service drops pending callbacks at shutdown, so callbacks that hold a
// shared_ptr to this object do not leak it.
//
// Time limits: hiredis 0.14 has no timer hook, so one steady_timer per
// connection watches the oldest unanswered command (and the connect). When
// it is older than `command_timeout` the whole connection is dropped, since
// a reply may still arrive and replies are matched by order: every pending
// callback gets RedisIoError. There is no automatic reconnection: after a
// failure every command fails fast with RedisIoError, and the owner creates a
// new AsyncRedis (with backoff) when it wants to retry.
//
// Threading: all calls on the io_context's thread (post to it from others).
// The process must ignore SIGPIPE (`serve` does): hiredis writes with
// write(2), and a write to a dead server must fail, not kill the process.
// hiredis resolves host names synchronously inside connect(), so configure
// an IP address or a name the resolver answers from /etc/hosts.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/async_commands.h"
#include "store/redis_endpoint.h"
#include "store/redis_value.h"
#include "store/script.h"

struct redisAsyncContext;

namespace broadcaster::store {

/// One asynchronous connection to Redis, driven by an Asio io_context.
/// Once its io_context is destroyed, the only thing to do with it is destroy it.
class AsyncRedis final : public AsyncCommands, public std::enable_shared_from_this<AsyncRedis> {
 public:
  /// Receives the outcome of a command: `error` is null and `value` holds the
  /// reply (never of Type::Error), or `error` holds a RedisReplyError (error
  /// reply) or RedisIoError (connection failed, timed out or closed) and
  /// `value` is Nil.
  using Callback = AsyncCommands::Callback;

  /// Creates an unconnected client; call connect() next. `ioc` must outlive it.
  static std::shared_ptr<AsyncRedis> create(boost::asio::io_context& ioc, RedisEndpoint endpoint);

  AsyncRedis(const AsyncRedis&) = delete;
  AsyncRedis& operator=(const AsyncRedis&) = delete;
  /// Frees the connection; pending callbacks are posted with RedisIoError.
  ~AsyncRedis() override;

  /// Starts connecting; AUTH and SELECT are sent first when the endpoint sets
  /// them. `on_done` is posted with null on success, or with RedisIoError
  /// (address and advice) when Redis cannot be reached within
  /// `connect_timeout`, or RedisReplyError when it rejects AUTH or SELECT.
  /// Commands may be issued right after connect(); they are sent once the
  /// connection is up. Call once.
  void connect(std::function<void(std::exception_ptr)> on_done);

  /// Sends one command, e.g. {"HINCRBY", key, "sent", "1"}; arguments may hold
  /// any bytes. `cb` is posted once with the reply or the error (see Callback);
  /// an empty `cb` ignores the outcome.
  /// Before connect(), after close() or after a failure, `cb` gets
  /// RedisIoError without anything being sent.
  void command(std::vector<std::string> argv, Callback cb) override;

  /// Runs `script` with EVALSHA, transparently retrying with EVAL when Redis
  /// answers NOSCRIPT. A script error gives RedisReplyError naming the script.
  void eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args,
            Callback cb) override;

  /// Commands sent (or queued to send) whose callbacks have not been posted yet.
  [[nodiscard]] std::size_t pending() const noexcept;

  /// True between a successful connect and the connection's end.
  [[nodiscard]] bool connected() const noexcept { return state_ == State::Connected; }

  /// Graceful shutdown: commands already issued still get their replies, then
  /// the connection is closed. Later commands fail fast with RedisIoError.
  /// Safe to call more than once and before connect().
  void close();

  /// The endpoint given at creation.
  [[nodiscard]] const RedisEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  class Registry;  // io_context service that drops pending work at shutdown
  struct Hooks;    // C callbacks and event hooks handed to hiredis

  enum class State { Idle, Connecting, Connected, Closing, Closed };
  enum class Kind { Setup, Command, Script };

  struct Request {
    Kind kind = Kind::Command;
    std::string name;  // for messages: "GET", "script 'enqueue'"
    Callback cb;
    std::chrono::steady_clock::time_point deadline;
    std::vector<std::string> argv;  // script calls only: EVALSHA argv for a NOSCRIPT retry
    bool retried = false;
  };

  struct ContextDeleter {
    void operator()(redisAsyncContext* ac) const noexcept;
  };

  AsyncRedis(boost::asio::io_context& ioc, RedisEndpoint endpoint);

  // Sending and replies.
  void send(std::vector<std::string> argv, Request request);
  bool submit(const std::vector<std::string>& argv, std::uint64_t id);
  void on_reply(const redisAsyncContext* ac, void* reply, std::uint64_t id);
  void on_setup_reply(const Request& request, const RedisValue& value);
  void deliver(Callback cb, std::exception_ptr error, RedisValue value);
  void fail_fast(Callback cb, std::string_view name);

  // Connection lifecycle.
  void on_connected(const redisAsyncContext* ac, int status);
  void finish_connect(std::exception_ptr error);
  void fail_connection(std::exception_ptr error);
  void note_failure(const redisAsyncContext* ac);
  std::exception_ptr closed_error(std::string_view what_we_tried) const;
  void abandon();

  // The Asio adapter: hiredis's event hooks.
  void add_read();
  void add_write();
  void on_readable(const boost::system::error_code& ec);
  void on_writable(const boost::system::error_code& ec);
  void on_cleanup();

  // Time limits.
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);

  boost::asio::io_context& ioc_;
  RedisEndpoint endpoint_;
  Registry* registry_ = nullptr;
  std::unique_ptr<redisAsyncContext, ContextDeleter> context_;
  std::optional<boost::asio::posix::stream_descriptor> descriptor_;
  std::optional<boost::asio::steady_timer> timer_;
  State state_ = State::Idle;
  bool want_read_ = false;
  bool want_write_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool timer_armed_ = false;
  bool abandoned_ = false;
  std::function<void(std::exception_ptr)> on_connect_;
  std::chrono::steady_clock::time_point connect_deadline_;
  std::exception_ptr failure_;                 // why the connection ended, once it has
  std::map<std::uint64_t, Request> requests_;  // by id; ids grow, so begin() is oldest
  std::size_t setup_pending_ = 0;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::string, std::string> script_sources_;  // sha1 -> text
};

}  // namespace broadcaster::store

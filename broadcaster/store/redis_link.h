// serve's link to Redis: one asynchronous connection that comes back by
// itself when Redis goes away (restart, network, LOADING after a restart).
// Design: owns one AsyncRedis at a time. The first command that fails with
// RedisIoError (connection broken or timed out) or RedisUnavailableError
// (LOADING, BUSY, ...) takes the link down: that connection is dropped,
// `on_down` runs once, and a new connection is tried after a backoff
// (100 ms doubling to 5 s). A connection only counts as up once a probe
// command that Redis refuses while loading (EXISTS) answers, so a Redis that
// is replaying its AOF keeps the link down. Then `on_up` runs. While down,
// every command fails fast with RedisIoError, so callers never wait on a
// dead socket; they keep their work and retry after `on_up`.
// Logging: "lost" once, "still unreachable" at most once a minute, "back"
// once, so an outage of hours does not flood the log.
// Threading: everything on the io_context's one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "store/async_commands.h"
#include "store/async_redis.h"
#include "store/redis_endpoint.h"

namespace broadcaster::store {

/// Backoff between a RedisLink's connection attempts.
struct RedisBackoff {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{5000};
};

class RedisLink final : public AsyncCommands, public std::enable_shared_from_this<RedisLink> {
 public:
  /// What the owner hears about the link. Both run on the io_context thread.
  struct Events {
    std::function<void()> up;                      ///< connected (first time and after each outage)
    std::function<void(const std::string&)> down;  ///< lost, with why
  };

  /// An unconnected link; call start(). `io` must outlive it.
  static std::shared_ptr<RedisLink> create(boost::asio::io_context& io, RedisEndpoint endpoint,
                                           RedisBackoff backoff = RedisBackoff());

  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;
  ~RedisLink() override;

  /// Connects, and keeps reconnecting after every failure until close().
  /// Call once.
  void start(Events events);

  /// Sends on the current connection; fails fast with RedisIoError while down.
  void command(std::vector<std::string> argv, Callback cb) override;

  /// Runs a script on the current connection; fails fast while down.
  void eval(const Script& script, std::vector<std::string> keys, std::vector<std::string> args, Callback cb) override;

  /// True while a connection is up and answered the probe.
  [[nodiscard]] bool up() const noexcept { return up_; }

  /// How many times the link came back after being lost.
  [[nodiscard]] std::size_t reconnects() const noexcept { return reconnects_; }

  /// Closes the connection once the commands issued so far are answered, and
  /// stops reconnecting. Idempotent.
  void close();

  /// Where the link connects.
  [[nodiscard]] const RedisEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, RedisBackoff backoff);

  void connect();
  void on_probe(std::uint64_t generation, std::exception_ptr error);
  void lose(std::uint64_t generation, const std::string& why);
  void schedule_connect();
  Callback watch(Callback cb);

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  RedisBackoff backoff_;
  Events events_;
  std::shared_ptr<AsyncRedis> redis_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds delay_;
  std::uint64_t generation_ = 0;  // counts connections, so a late failure of an old one is ignored
  bool up_ = false;
  bool ever_up_ = false;
  bool closed_ = false;
  std::size_t reconnects_ = 0;
  std::chrono::steady_clock::time_point down_since_{};
  std::chrono::steady_clock::time_point last_complaint_{};
};

}  // namespace broadcaster::store

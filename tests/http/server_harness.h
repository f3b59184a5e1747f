// An http::Server on 127.0.0.1:<free port>, run by a background thread, for
// the server tests.
// Design: the io_context runs on a std::async thread, so stop() can wait for
// run() to return under a deadline and report whether it did: a server that
// does not let run() return fails a test instead of hanging it. The
// destructor stops (forcing io_context::stop() if need be) and joins.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <utility>

#include "http/server.h"

namespace broadcaster::http::test {

/// A server on its own thread. Construct, then start() with a handler that
/// may capture io() (e.g. to start timers).
class ServerHarness {
 public:
  ServerHarness() = default;
  ~ServerHarness() { stop(); }

  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  /// Listens on 127.0.0.1 port 0 and serves with `handler` on a new thread.
  void start(Handler handler, ServerLimits limits = {}, ErrorResponder error_responder = {}) {
    server_.emplace(io_, std::move(handler), limits, std::move(error_responder));
    port_ = server_->listen({boost::asio::ip::make_address("127.0.0.1"), 0}).port();
    server_->start();
    running_ = std::async(std::launch::async, [this] { io_.run(); });
  }

  /// Calls Server::stop() from this (non-loop) thread and waits up to
  /// `deadline` for io.run() to return. True if it returned by itself; false
  /// if the io_context had to be stopped by force.
  bool stop(std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    if (!running_.valid()) return stopped_by_itself_;
    server_->stop();
    stopped_by_itself_ = running_.wait_for(deadline) == std::future_status::ready;
    if (!stopped_by_itself_) io_.stop();
    running_.get();
    return stopped_by_itself_;
  }

  unsigned short port() const noexcept { return port_; }
  /// Only after start().
  Server& server() noexcept { return *server_; }
  boost::asio::io_context& io() noexcept { return io_; }

 private:
  boost::asio::io_context io_{1};
  std::optional<Server> server_;
  unsigned short port_ = 0;
  std::future<void> running_;
  bool stopped_by_itself_ = false;
};

}  // namespace broadcaster::http::test

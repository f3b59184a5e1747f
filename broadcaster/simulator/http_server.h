// The simulator on the wire: broadcaster's http::Server answering with a
// Simulator, holding delayed replies back, and giving its own 4xx/5xx answers
// in the simulator's JSON ({"status": 413, "message": "..."}).
// Design: runs on the caller's io_context (one thread), like http::Server.
// A reply the Simulator wants delayed (--delay-ms) waits on its own
// steady_timer, kept in a list so stop() can cancel them all; the loop never
// blocks, other connections are served meanwhile. stop() cancels those
// timers and stops the server, so io_context::run() returns promptly.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <list>

#include "http/server.h"
#include "simulator/sim_options.h"
#include "simulator/simulator.h"

namespace broadcaster::simulator {

/// The limits named by `options` (--body-limit, --read-timeout-ms, ...). The
/// handler timeout is --delay-ms plus 30 s: the Simulator itself answers at
/// once, so only a delayed reply waits, and never long enough for a 503.
[[nodiscard]] broadcaster::http::ServerLimits limits_from(const SimOptions& options);

/// Accepts connections and serves them with a Simulator.
class HttpServer {
 public:
  /// `io` and `simulator` must outlive the server, and the server must
  /// outlive io.run() (the delayed replies refer to it).
  HttpServer(boost::asio::io_context& io, Simulator& simulator,
             broadcaster::http::ServerLimits limits);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens on `endpoint` (port 0 picks a free port). Returns the
  /// bound endpoint. Throws broadcaster::Error naming the address when that
  /// fails (port in use, address not local).
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// Starts accepting; call after listen(), before or while io.run().
  void start();

  /// Drops the delayed replies, stops accepting and closes every open
  /// connection. Best called on the io_context's thread; from another thread
  /// it acts when the loop next runs.
  void stop();

  /// Connections closed on accept because max_connections were open.
  std::size_t refused_connections() const noexcept;

 private:
  void handle(Request&& request, broadcaster::http::Respond respond);

  boost::asio::io_context& io_;
  Simulator& simulator_;
  std::list<boost::asio::steady_timer> delayed_;  ///< one timer per held-back reply
  broadcaster::http::Server server_;
};

}  // namespace broadcaster::simulator

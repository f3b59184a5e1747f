// The simulator's HTTP/1.1 server: a Beast listener and one session per
// connection, after Beast's http_server_async.cpp (boost-1.74.0).
// Design: everything runs on the caller's io_context, which the simulator
// runs on one thread, so the Simulator and the session registry need no
// locks. Each session reads a request through a parser bounded by
// body_limit/header_limit under a read deadline, asks the Simulator for the
// reply, holds it back on a steady_timer when the reply asks for a delay
// (never blocking the loop), writes it under a write deadline and, for
// keep-alive, reads the next one. At most max_connections sessions live at
// once; a connection beyond that is closed on accept. stop() closes the
// acceptor and every live session, so io_context::run() returns promptly.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>

#include "simulator/simulator.h"

namespace broadcaster::simulator {

/// Bounds the server enforces on every connection.
struct ServerLimits {
  std::size_t body_limit = 64 * 1024;              ///< request body bytes; more gets 413
  std::size_t header_limit = 8 * 1024;             ///< request header bytes; more gets 431
  std::chrono::milliseconds read_timeout{30000};   ///< per request, idle time included
  std::chrono::milliseconds write_timeout{30000};  ///< per response
  std::size_t max_connections = 256;               ///< concurrent sessions
};

/// The limits named by `options` (--body-limit, --read-timeout-ms, ...).
[[nodiscard]] ServerLimits limits_from(const SimOptions& options);

namespace detail {
class Listener;
}  // namespace detail

/// Accepts connections and serves them with a Simulator.
class HttpServer {
 public:
  /// `io` and `simulator` must outlive the server and every handler it
  /// queues (i.e. until io.run() has returned).
  HttpServer(boost::asio::io_context& io, Simulator& simulator, ServerLimits limits);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens on `endpoint` (port 0 picks a free port). Returns the
  /// bound endpoint. Throws broadcaster::Error naming the address when that
  /// fails (port in use, address not local).
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// Starts accepting; call after listen(), on any thread before io.run().
  void start();

  /// Stops accepting and closes every open connection; pending handlers
  /// finish with operation_aborted. Call on the io_context's thread.
  void stop();

  /// Connections closed on accept because max_connections were open.
  std::size_t refused_connections() const noexcept;

 private:
  std::shared_ptr<detail::Listener> listener_;
};

}  // namespace broadcaster::simulator

// Internals of http::Server: one connection's session and the registry of
// live sessions. Not part of the public API; only server.cpp and session.cpp
// include this.
// Design: a session is a small state machine driven by the io_context's one
// thread: reading the headers -> (admitting a forwarded client) -> reading
// the body -> waiting for the Handler -> writing -> idle wait (keep-alive)
// -> reading the headers, or -> lingering close. A session that counts
// against a client in the admission table (its own connection, or the
// forwarded request in progress) gives that count back when it moves on or
// dies. It is owned by its pending operations
// (shared_from_this, Beast's do_x/on_x pairs); the Respond it hands out holds
// only a weak reference plus the request's sequence number, so a response
// for a closed connection or an already answered request is dropped, and the
// session is only ever destroyed on the io_context's thread.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "http/server.h"

namespace broadcaster::http::detail {

class Session;

/// The sessions alive right now, so the listener can count them and stop()
/// can close them. Holds non-owning pointers: a session adds itself in its
/// constructor and removes itself in its destructor, both on the I/O thread.
class SessionRegistry {
 public:
  void add(Session* session) { live_.insert(session); }
  void remove(Session* session) noexcept { live_.erase(session); }
  std::size_t size() const noexcept { return live_.size(); }
  /// Closes every live session (their pending operations abort).
  void close_all();

 private:
  std::unordered_set<Session*> live_;
};

/// ServerCounters as atomics: written on the I/O thread, read from any.
struct CounterCells {
  std::atomic<std::size_t> refused_per_client{0};
  std::atomic<std::size_t> refused_forwarded{0};
  std::atomic<std::size_t> refused_fair_share{0};
  std::atomic<std::size_t> refused_total{0};
  std::atomic<std::size_t> header_timeouts{0};
  std::atomic<std::size_t> read_timeouts{0};
  std::atomic<std::size_t> accept_failures{0};

  /// Adds one to `cell`.
  static void bump(std::atomic<std::size_t>& cell) noexcept { cell.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] ServerCounters snapshot() const noexcept;
};

/// What every session of one server shares.
struct ServerContext {
  ServerContext(Handler h, ErrorResponder e, ServerLimits l)
      : handler(std::move(h)),
        error_responder(std::move(e)),
        limits(std::move(l)),
        admission(limits.max_connections, limits.max_connections_per_client) {}

  Handler handler;
  ErrorResponder error_responder;  ///< never empty
  ServerLimits limits;
  SessionRegistry registry;
  Admission admission;  ///< who holds what; see admission.h
  CounterCells counters;
};

/// One connection: read a request, let the Handler answer it, write the
/// answer, repeat while the client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// Registers itself in `context->registry`; `peer` is the socket's
  /// remote endpoint, normalized. With `count_peer` the connection counts
  /// against `peer` in `context->admission` until the session dies.
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context,
          const boost::asio::ip::tcp::endpoint& peer, bool count_peer);
  ~Session();

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts reading the first request; its deadlines count from now.
  void run();

  /// Closes the connection now; pending operations complete with an error
  /// and a response given later is dropped.
  void close();

 private:
  void do_read();
  void on_idle(boost::beast::error_code ec, std::size_t bytes);
  void do_read_header();
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  bool admit_forwarded();
  void release_forwarded() noexcept;
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_read_error(const boost::beast::error_code& ec, bool in_header);
  void call_handler();
  Respond make_respond(std::uint64_t request_id);
  void on_respond(std::uint64_t request_id, Response response);
  void on_handler_timeout(std::uint64_t request_id, boost::beast::error_code ec);
  void answer_error(beast_http::status status, const std::string& message);
  void do_write(Response response, bool force_close);
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_linger();
  void on_linger(boost::beast::error_code ec, std::size_t bytes);
  void do_shutdown();

  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer handler_timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  Response response_;
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::endpoint peer_;                ///< the TCP peer, normalized
  boost::asio::ip::tcp::endpoint client_;              ///< whom the request is from (peer_ or forwarded)
  std::optional<boost::asio::ip::address> forwarded_;  ///< counted for the request in progress
  std::chrono::steady_clock::time_point request_start_;
  std::array<char, 4096> drain_{};
  std::uint64_t request_id_ = 0;     ///< sequence number of the current request
  bool awaiting_handler_ = false;    ///< request_id_ still waits for its respond
  bool request_keep_alive_ = false;  ///< the current request allows keep-alive
  bool close_after_write_ = false;
  bool closed_ = false;
  bool trusted_peer_ = false;  ///< peer_ is a trusted proxy
  bool count_peer_ = false;    ///< peer_ counted in the admission table
};

}  // namespace broadcaster::http::detail

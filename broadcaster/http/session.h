// Internals of http::Server: one connection's session and the registry of
// live sessions. Not part of the public API; only server.cpp and session.cpp
// include this.
// Design: a session is a small state machine driven by the io_context's one
// thread: reading -> waiting for the Handler -> writing -> reading (keep-alive)
// or -> lingering close. It is owned by its pending operations
// (shared_from_this, Beast's do_x/on_x pairs); the Respond it hands out holds
// only a weak reference plus the request's sequence number, so a response
// for a closed connection or an already answered request is dropped, and the
// session is only ever destroyed on the io_context's thread.
#pragma once

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

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

/// What every session of one server shares.
struct ServerContext {
  Handler handler;
  ErrorResponder error_responder;  ///< never empty
  ServerLimits limits;
  SessionRegistry registry;
};

/// One connection: read a request, let the Handler answer it, write the
/// answer, repeat while the client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// Registers itself in `context->registry`.
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context);
  ~Session();

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts reading the first request.
  void run();

  /// Closes the connection now; pending operations complete with an error
  /// and a response given later is dropped.
  void close();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
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
  boost::asio::ip::tcp::endpoint peer_;
  std::array<char, 4096> drain_{};
  std::uint64_t request_id_ = 0;     ///< sequence number of the current request
  bool awaiting_handler_ = false;    ///< request_id_ still waits for its respond
  bool request_keep_alive_ = false;  ///< the current request allows keep-alive
  bool close_after_write_ = false;
  bool closed_ = false;
};

}  // namespace broadcaster::http::detail

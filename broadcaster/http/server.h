// The one HTTP/1.1 server of the codebase: broadcaster-sim answers Twilio's
// Messages API with it and `broadcaster serve` receives provider webhooks
// with it. A Beast listener and one session per connection, after Beast's
// http_server_async.cpp (boost-1.74.0), calling an asynchronous Handler.
// Design: everything runs on the caller's io_context, run on ONE thread, so
// the listener, the sessions, their registry and the admission table need
// no locks. A session reads one request through a parser bounded by
// body_limit/header_limit: the start line and headers under header_timeout,
// the whole request under read_timeout (both counted from the request's
// first byte, or from accept for the first request), and the keep-alive
// wait for the next request under idle_timeout, all absolute deadlines, so
// trickling bytes extends none of them and a slowloris client is closed.
// It hands the request to the Handler and waits up to handler_timeout for
// the Handler's `respond`, which may come from any thread: it is posted back
// to the io_context. Only after that response is written (under
// write_timeout) does the session read the next request, so pipelined
// requests are answered in order and the Handler sees one request per
// connection at a time. Malformed requests get 400, oversized ones 413/431
// (bodies built by an ErrorResponder, plain text by default) and the
// connection is closed after a short lingering drain, so the client reads
// the answer instead of a reset.
// The door stays open for everyone (admission.h): at most max_connections
// sessions live at once, at most max_connections_per_client per client
// address, and near the total an address holding its share is refused; a
// refused connection is closed right at accept, before it costs more than a
// descriptor for a moment, and counted by reason. Connections from
// trusted_proxies are exempt from the per-address rules, because per-
// connection caps apply to the TCP peer and a proxy carries many clients
// over its connections; instead each request such a proxy forwards counts,
// while it is in progress, against the client its X-Forwarded-For names
// (trusted_proxies.h), and one over that client's cap is answered 429. A
// failing accept (out of descriptors: EMFILE) is logged once and retried
// every 100 ms, so the loop neither spins nor stops. stop() closes the
// acceptor and every session, so io_context::run() returns.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/admission.h"
#include "http/listen_address.h"
#include "http/response.h"
#include "http/trusted_proxies.h"

namespace broadcaster::http {

namespace beast_http = boost::beast::http;

/// A complete request as the server hands it to the Handler.
using Request = beast_http::request<beast_http::string_body>;
/// A response the Handler gives back; see Respond.
using Response = beast_http::response<beast_http::string_body>;

/// Completes one request. Must be called exactly once, now (inside the
/// Handler) or later, from any thread: the server posts the response back to
/// its io_context, which must still exist then. If the connection is gone, or
/// handler_timeout already answered 503, the response is dropped; a second
/// call is ignored. The server adds Content-Length when the response has
/// neither it nor chunked encoding, and closes the connection after the
/// response when the request or the response asks for that.
using Respond = std::function<void(Response)>;

/// Called once per request, on the io_context thread, with the client's
/// address: the TCP peer's, or, when the peer is a trusted proxy, the client
/// its X-Forwarded-For names (port 0 then). Must not block the loop; hand slow work elsewhere and call `respond` later.
/// An exception escaping the Handler is logged and answered 500 (a response
/// given before the throw is then dropped).
using Handler = std::function<void(Request&& request, const boost::asio::ip::tcp::endpoint& peer, Respond respond)>;

/// Builds the body of the answers the server gives by itself: 400 (malformed
/// request), 413 (body too large), 429 (a client behind a trusted proxy
/// holds its max_connections_per_client), 431 (headers too large), 500 (the
/// Handler threw) and 503 (the Handler did not answer in time). `message` says why,
/// e.g. "request body exceeds 2048 bytes". The server closes the connection
/// after these answers whatever the response's keep-alive says.
using ErrorResponder = std::function<Response(beast_http::status status, const std::string& message)>;

/// Bounds the server enforces on every connection, and whom it believes
/// about a client's address. Deadlines are absolute: bytes trickling in do
/// not extend them.
struct ServerLimits {
  std::size_t body_limit = 64 * 1024;   ///< request body bytes; more: 413, connection closed
  std::size_t header_limit = 8 * 1024;  ///< start line + header bytes; more: 431
  /// Start line and headers, from the request's first byte (from accept for
  /// a connection's first request); later: closed unanswered, counted.
  std::chrono::milliseconds header_timeout{5000};
  /// The whole request, headers and body, from the same start; later:
  /// closed unanswered, counted.
  std::chrono::milliseconds read_timeout{30000};
  /// Keep-alive wait between a response and the next request's first byte.
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds handler_timeout{30000};  ///< no respond by then: 503, late one dropped
  std::chrono::milliseconds write_timeout{30000};    ///< per response
  std::size_t max_connections = 256;                 ///< concurrent connections; more are closed
  /// Concurrent connections (plus requests forwarded by trusted proxies) per
  /// client address; more are closed at accept (429 behind a proxy). Also
  /// turns on the fair-share rule near max_connections (admission.h). 0: no
  /// per-address rules, only max_connections.
  std::size_t max_connections_per_client = 0;
  /// Peers whose X-Forwarded-For is believed; they are exempt from the
  /// per-address rules at accept (see the Design comment).
  TrustedProxies trusted_proxies;
};

/// How many connections and requests the server turned away, by reason,
/// since it was made. Each field only grows.
struct ServerCounters {
  std::size_t refused_per_client = 0;  ///< closed at accept: the client held its cap
  std::size_t refused_forwarded = 0;   ///< 429: a client behind a trusted proxy held its cap
  std::size_t refused_fair_share = 0;  ///< closed at accept: crowded, and the client held its share
  std::size_t refused_total = 0;       ///< closed at accept: max_connections open
  std::size_t header_timeouts = 0;     ///< closed: start line + headers not in within header_timeout
  std::size_t read_timeouts = 0;       ///< closed: body not in within read_timeout
  std::size_t accept_failures = 0;     ///< accept() failed (EMFILE and the like) and was retried
};

namespace detail {
class Listener;
}  // namespace detail

/// Accepts connections and serves each request with a Handler.
class Server {
 public:
  /// Serves with `handler` under `limits`; `error_responder` builds the 4xx/5xx
  /// answers the server gives itself (empty: plain_text_error). `io`, and
  /// whatever the handlers refer to, must outlive every handler the server
  /// queues, i.e. until io.run() has returned.
  Server(boost::asio::io_context& io, Handler handler, ServerLimits limits, ErrorResponder error_responder = {});
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens on `endpoint` (port 0 picks a free port) and returns
  /// the bound endpoint. Throws broadcaster::Error naming the address when
  /// that fails (port in use, address not local).
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// Starts accepting; call once after listen(), before or while io.run().
  void start();

  /// Stops accepting and closes every open connection; pending reads, writes
  /// and handler waits end, so io.run() can return. Responses given later
  /// are dropped. Idempotent. Best called on the io_context's thread (it then
  /// acts at once); from another thread it acts when the loop next runs.
  void stop();

  /// Connections closed on accept, whatever the reason (refused_per_client
  /// + refused_fair_share + refused_total); with max_connections_per_client 0, those refused
  /// because max_connections were open. Any thread.
  std::size_t refused_connections() const noexcept;

  /// The counters so far. Any thread.
  ServerCounters counters() const noexcept;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<detail::Listener> listener_;
};

}  // namespace broadcaster::http

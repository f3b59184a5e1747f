// A scripted HTTP/1.1 server on a loopback port, for testing HTTP clients.
// Design: Boost.Beast on its own io_context and background thread, so a test
// can run its own io_context (or block) while the server answers. Answers
// come first from a FIFO script, then from a responder function; every
// request is recorded (method, target, headers, body) and every accepted TCP
// connection counted, so a test can prove keep-alive reuse. Connections stay
// open between requests as HTTP/1.1 asks. Bounded: request bodies 1 MiB,
// request headers 8 KiB (Beast's default), idle connections closed after
// 30 s, at most 10'000 requests recorded (later ones are only counted). The
// destructor stops the thread; answers still waiting out a delay are dropped.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace broadcaster::testing {

/// One scripted answer.
struct ScriptedResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  ///< sent in this order
  std::string body;                                          ///< Content-Length is added
  std::chrono::milliseconds delay{0};                        ///< waits this long before answering
  bool close_connection = false;  ///< sends Connection: close and closes afterwards
};

/// One request as the server received it.
struct RecordedRequest {
  std::string method;
  std::string target;  ///< path and query, e.g. "/2010-04-01/Messages.json"
  std::vector<std::pair<std::string, std::string>> headers;  ///< in the order received
  std::string body;
  std::size_t connection = 0;  ///< 1-based number of the connection it came on

  /// Value of the first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

class HttpTestServer {
 public:
  /// Answers a request the script has no answer for. Runs on the server's
  /// thread; an exception becomes a 500 whose body is its message.
  using Responder = std::function<ScriptedResponse(const RecordedRequest&)>;

  /// Listens on `address` (an IPv4 or IPv6 literal), on a free port, and
  /// starts serving. Throws boost::system::system_error if it cannot listen.
  explicit HttpTestServer(const std::string& address = "127.0.0.1");
  /// Stops serving and closes every connection.
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  /// The port it listens on.
  unsigned short port() const noexcept { return port_; }
  /// "http://<address>:<port>" followed by `target`.
  std::string url(std::string_view target = "/") const;

  /// Answers the next request (in arrival order) with `response`.
  void enqueue(ScriptedResponse response);
  /// Answers requests once the script is used up; the default says 200 "ok".
  void set_responder(Responder responder);

  /// Copies of the requests recorded so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  /// Requests received so far, recorded or not.
  std::size_t request_count() const;
  /// TCP connections accepted so far.
  std::size_t connections_accepted() const;

 private:
  struct State;
  class Session;
  struct Loop;
  std::string address_;
  unsigned short port_ = 0;
  std::shared_ptr<State> state_;
  std::unique_ptr<Loop> loop_;
};

}  // namespace broadcaster::testing

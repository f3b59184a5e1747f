// The sender's HTTP client: many provider requests in flight at once over
// kept-alive connections, driven by the process's one io_context.
// Design: libcurl's multi socket API on Boost.Asio (the mechanism of curl's
// docs/examples/asiohiper.cpp, without its globals). Curl opens its TCP
// sockets through us (CURLOPT_OPENSOCKETFUNCTION), so each one is an
// asio::ip::tcp::socket owned by the client and closed by it
// (CURLOPT_CLOSESOCKETFUNCTION). CURLMOPT_SOCKETFUNCTION tells us which
// direction curl waits for and we arm async_wait(wait_read / wait_write);
// CURLMOPT_TIMERFUNCTION arms one steady_timer. Each readiness or timer event
// calls curl_multi_socket_action, then every finished transfer (CURLMSG_DONE)
// runs its callback. Descriptors curl did not open through us (the threaded
// resolver's wake-up socket) are watched too but never closed by us.
// Connections: HTTP/1.1 with keep-alive; curl's connection cache lives in the
// multi handle and holds at most `max_connections` connections, and easy
// handles are pooled, so a steady stream of requests to one provider reuses
// the same few connections.
// Bounds: at most `max_in_flight` transfers are inside curl at once; further
// requests wait in a FIFO queue that nothing but the caller bounds (the send
// loop keeps its own in-flight limit, so it never grows past that). Response
// headers (64 KiB) and bodies (`max_response_body`) are capped.
// Deadlines: a request's timeout runs from perform(). Curl gets the time left
// as CURLOPT_TIMEOUT_MS, but curl 7.88 does not time out a transfer still
// waiting for a free connection, so a second timer sweeps out whatever is
// past its deadline, in curl or in the queue: every callback comes within
// its timeout (plus a 50 ms grace) of perform().
// Lifetime: handlers left in the io_context hold only a weak token and do
// nothing once the client is gone.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "channels/http_message.h"
#include "util/c_handle.h"

namespace broadcaster::sender {

/// Limits and identity of one HttpClient.
struct HttpClientOptions {
  /// Open connections at most, to all hosts together and to any one host.
  std::size_t max_connections = 32;
  /// Requests inside curl at most; more wait in the client's queue.
  std::size_t max_in_flight = 256;
  /// Deadline for establishing a connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{5000};
  /// Sent as User-Agent.
  std::string user_agent = "broadcaster/0.1";
  /// Bytes of response body accepted; a longer body fails the request (Other).
  std::size_t max_response_body = 1024 * 1024;
};

/// Error kinds the caller needs to decide on retries.
enum class HttpFailure {
  None,     ///< a response arrived (any status, 4xx and 5xx included)
  Timeout,  ///< the request was sent but no complete answer came in time;
            ///< the provider may have acted on it
  Connect,  ///< no connection: unresolvable host, refused, or timed out before
            ///< the request was sent; nothing reached the provider
  Other,    ///< anything else: connection broken mid-answer, malformed
            ///< response, body over the limit, invalid request
};

/// Lower-case name of `failure` for logs and messages ("timeout").
std::string_view to_string(HttpFailure failure) noexcept;

/// The result of one request.
struct HttpOutcome {
  HttpFailure failure = HttpFailure::None;
  /// Curl's message when failure != None. Never includes the Basic-auth
  /// credentials or header values; curl names the host, not the URL's path.
  std::string error;
  /// The final response (after any 1xx); empty unless failure == None.
  channels::HttpResponse response;
};

/// Performs HTTP requests asynchronously on an io_context.
/// Not thread-safe: construct, use and destroy it on the io_context's thread
/// (or while the io_context is not running). The io_context must outlive it.
class HttpClient {
 public:
  /// Receives the outcome of one request.
  using Callback = std::function<void(HttpOutcome)>;

  /// Prepares a client; opens nothing until the first request. Initialises
  /// libcurl once per process (a function-local static; never cleaned up).
  /// Throws ConfigError if a limit in `options` is zero, CurlError if libcurl
  /// cannot be set up.
  HttpClient(boost::asio::io_context& io, HttpClientOptions options);

  /// Aborts every request in flight or queued and closes all connections.
  /// Their callbacks are NOT invoked, neither during nor after destruction:
  /// whoever destroys the client already knows those requests are abandoned.
  /// A callback may destroy the client; the callbacks of requests still in
  /// flight are then dropped the same way.
  ~HttpClient();

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  /// Not movable: libcurl holds the client's address in its callbacks.
  HttpClient(HttpClient&&) = delete;
  HttpClient& operator=(HttpClient&&) = delete;

  /// Starts `request`, or queues it while `max_in_flight` requests are
  /// running. `done` runs later on the io_context thread, exactly once
  /// (never inline from perform), unless the client is destroyed first.
  /// `request.timeout` bounds the whole request from this call: time in the
  /// queue and waiting for a free connection count. A request that never got
  /// a connection in that time fails with Connect. Requests curl cannot take
  /// (non-positive timeout, CR or LF in a header, a method that is not an
  /// upper-case token) fail with Other. Timeouts over 24 h count as 24 h.
  /// `done` must not throw: the exception would leave io_context::run().
  /// Throws only std::bad_alloc.
  void perform(channels::HttpRequest request, Callback done);

  /// Requests accepted by perform() whose callback has not run yet
  /// (running and queued together).
  std::size_t in_flight() const noexcept { return in_flight_; }

 private:
  struct Transfer;  // one request inside curl
  struct Watch;     // one descriptor curl asked us to watch
  struct Hooks;     // the C callbacks libcurl calls
  using Clock = std::chrono::steady_clock;
  struct Queued {
    channels::HttpRequest request;
    Callback done;
    Clock::time_point deadline;
  };
  struct Completion {
    Callback done;
    HttpOutcome outcome;
  };

  void start(Queued queued);
  void start_queued();
  void fail_later(Callback done, HttpFailure failure, std::string error);
  void configure(Transfer& transfer, std::chrono::milliseconds time_left);
  util::CurlEasy take_easy();
  Completion retire(CURL* easy, CURLcode result);
  [[nodiscard]] bool deliver(Completion completion);
  void on_timer();
  void on_ready(curl_socket_t fd, std::uint64_t watch_id, int direction,
                boost::system::error_code ec);
  void arm(curl_socket_t fd, std::uint64_t watch_id);
  [[nodiscard]] bool socket_action(curl_socket_t fd, int action);
  [[nodiscard]] bool finish_done_transfers();
  void note_deadline(Clock::time_point deadline);
  void arm_deadline_sweep();
  void on_deadline_sweep();

  boost::asio::io_context& io_;
  HttpClientOptions options_;
  /// Handlers hold a weak_ptr to this; it expires when destruction begins.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  boost::asio::steady_timer timer_;  ///< curl's one timer
  bool timer_armed_ = false;         ///< timer_ waits (not fired or cancelled)
  bool zero_posted_ = false;         ///< a "due now" run of curl's timeouts is posted
  /// How much earlier than curl asked an armed timer may fire and be kept.
  static constexpr std::chrono::milliseconds kTimerSlack{5};
  /// Fires at the earliest deadline (plus grace) among running and queued
  /// requests, if `sweep_armed_`.
  boost::asio::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  std::map<curl_socket_t, std::unique_ptr<Watch>> watches_;
  std::uint64_t next_watch_id_ = 1;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::vector<util::CurlEasy> idle_easies_;  ///< at most max_in_flight
  std::deque<Queued> queued_;
  std::size_t in_flight_ = 0;
  util::CurlMulti multi_;
};

}  // namespace broadcaster::sender

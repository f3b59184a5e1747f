// One connection of http::Server (see session.h and server.h).
#include "http/session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <string_view>
#include <utility>
#include <vector>

namespace broadcaster::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

/// The longest a session drains a client's unread input after the server
/// decided to close, so the client reads the answer rather than a reset.
constexpr std::chrono::milliseconds kMaxLinger{2000};

/// What one read of the idle keep-alive wait takes at most; the rest of a
/// request follows through the parser.
constexpr std::size_t kIdleReadBytes = 4096;

/// A parse error of the request itself (start line, header, chunk framing,
/// Content-Length): the client sent something that is not HTTP/1.1.
bool is_malformed(const beast::error_code& ec) {
  if (ec.category() != beast_http::make_error_code(beast_http::error::bad_method).category()) {
    return false;
  }
  const auto value = static_cast<beast_http::error>(ec.value());
  return value == beast_http::error::bad_alloc || value == beast_http::error::buffer_overflow ||
         (value >= beast_http::error::bad_line_ending && value <= beast_http::error::bad_obs_fold);
}

}  // namespace

// --- registry ----------------------------------------------------------------

void SessionRegistry::close_all() {
  // Copy first: closing never destroys a session synchronously, but keep the
  // iteration independent of that detail.
  const std::vector<Session*> sessions(live_.begin(), live_.end());
  for (Session* s : sessions) s->close();
}

ServerCounters CounterCells::snapshot() const noexcept {
  ServerCounters c;
  c.refused_per_client = refused_per_client.load(std::memory_order_relaxed);
  c.refused_forwarded = refused_forwarded.load(std::memory_order_relaxed);
  c.refused_fair_share = refused_fair_share.load(std::memory_order_relaxed);
  c.refused_total = refused_total.load(std::memory_order_relaxed);
  c.header_timeouts = header_timeouts.load(std::memory_order_relaxed);
  c.read_timeouts = read_timeouts.load(std::memory_order_relaxed);
  c.accept_failures = accept_failures.load(std::memory_order_relaxed);
  return c;
}

// --- lifetime ----------------------------------------------------------------

Session::Session(tcp::socket&& socket, std::shared_ptr<ServerContext> context, const tcp::endpoint& peer,
                 bool count_peer)
    : stream_(std::move(socket)),
      handler_timer_(stream_.get_executor()),
      context_(std::move(context)),
      peer_(peer),
      client_(peer),
      request_start_(std::chrono::steady_clock::now()),
      trusted_peer_(context_->limits.trusted_proxies.trusts(peer.address())),
      count_peer_(count_peer) {
  context_->registry.add(this);
  if (count_peer_) context_->admission.add(peer_.address());
}

Session::~Session() {
  release_forwarded();
  if (count_peer_) context_->admission.remove(peer_.address());
  context_->registry.remove(this);
}

void Session::run() {
  request_start_ = std::chrono::steady_clock::now();
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_read_header, shared_from_this()));
}

void Session::close() {
  closed_ = true;
  awaiting_handler_ = false;
  handler_timer_.cancel();
  stream_.close();
}

// --- reading -----------------------------------------------------------------

void Session::do_read() {
  // Called once a response is written, for the next request on this connection.
  if (closed_) return;
  release_forwarded();
  client_ = peer_;
  if (buffer_.size() > 0) {  // pipelined: the next request has begun
    request_start_ = std::chrono::steady_clock::now();
    return do_read_header();
  }
  stream_.expires_after(context_->limits.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kIdleReadBytes),
                          beast::bind_front_handler(&Session::on_idle, shared_from_this()));
}

void Session::on_idle(beast::error_code ec, std::size_t bytes) {
  if (closed_) return;
  if (ec == net::error::eof) return do_shutdown();
  if (ec) {
    // Idle too long (the stream closed the socket), a reset, or stop().
    if (ec != net::error::operation_aborted && ec != beast::error::timeout) {
      spdlog::debug("idle connection from {} ended: {}", peer_.address().to_string(), ec.message());
    }
    return;
  }
  buffer_.commit(bytes);
  request_start_ = std::chrono::steady_clock::now();
  do_read_header();
}

void Session::do_read_header() {
  if (closed_) return;
  // A fresh parser per request: the limits apply to each message.
  parser_.emplace();
  parser_->body_limit(context_->limits.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(context_->limits.header_limit, UINT32_MAX)));
  // Absolute deadlines from the request's start: trickling bytes extends nothing.
  const auto& limits = context_->limits;
  stream_.expires_at(request_start_ + std::min(limits.header_timeout, limits.read_timeout));
  beast_http::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
}

void Session::on_header(beast::error_code ec, std::size_t /*bytes*/) {
  if (closed_) return;
  if (ec) return on_read_error(ec, true);
  if (trusted_peer_ && !admit_forwarded()) return;
  if (parser_->is_done()) return call_handler();
  stream_.expires_at(request_start_ + context_->limits.read_timeout);
  beast_http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

bool Session::admit_forwarded() {
  std::vector<std::string_view> forwarded_for;
  const auto [first, last] = parser_->get().equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) forwarded_for.emplace_back(it->value().data(), it->value().size());
  const auto& proxies = context_->limits.trusted_proxies;
  const net::ip::address client = proxies.client_address(peer_.address(), forwarded_for);
  client_ = client == peer_.address() ? peer_ : tcp::endpoint(client, 0);
  Admission& admission = context_->admission;
  // Our own proxies (a health check, a request without the header) are not capped.
  if (!admission.per_client_enabled() || proxies.trusts(client)) return true;
  if (admission.check_request(client)) {
    CounterCells::bump(context_->counters.refused_forwarded);
    spdlog::debug("refusing a forwarded request from {}: it holds {} already", client.to_string(),
                  admission.count(client));
    answer_error(beast_http::status::too_many_requests, fmt::format("more than {} requests at once from one client",
                                                                    context_->limits.max_connections_per_client));
    return false;
  }
  admission.add(client);
  forwarded_ = client;
  return true;
}

void Session::release_forwarded() noexcept {
  if (!forwarded_) return;
  context_->admission.remove(*forwarded_);
  forwarded_.reset();
}

void Session::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (closed_) return;
  if (ec) return on_read_error(ec, false);
  call_handler();
}

void Session::on_read_error(const beast::error_code& ec, bool in_header) {
  if (ec == beast_http::error::end_of_stream) return do_shutdown();
  if (ec == beast_http::error::body_limit) {
    return answer_error(beast_http::status::payload_too_large,
                        fmt::format("request body exceeds {} bytes", context_->limits.body_limit));
  }
  if (ec == beast_http::error::header_limit) {
    return answer_error(beast_http::status::request_header_fields_too_large,
                        fmt::format("request headers exceed {} bytes", context_->limits.header_limit));
  }
  if (is_malformed(ec)) {
    spdlog::debug("malformed request from {}: {}", client_.address().to_string(), ec.message());
    return answer_error(beast_http::status::bad_request, "malformed request: " + ec.message());
  }
  if (ec == beast::error::timeout) {
    // The stream already closed the socket; a slow client gets no answer.
    CounterCells::bump(in_header ? context_->counters.header_timeouts : context_->counters.read_timeouts);
    spdlog::debug("{} from {} not complete in time; connection closed", in_header ? "request headers" : "request",
                  client_.address().to_string());
    return;
  }
  // A reset, a half-sent request followed by EOF, or stop(): nothing to
  // answer; the socket closes when the last handler lets go of us.
  if (ec != net::error::operation_aborted) spdlog::debug("read ended: {}", ec.message());
}

// --- the handler -------------------------------------------------------------

void Session::call_handler() {
  Request request = parser_->release();
  request_keep_alive_ = request.keep_alive();
  const std::uint64_t id = ++request_id_;
  awaiting_handler_ = true;
  handler_timer_.expires_after(context_->limits.handler_timeout);
  handler_timer_.async_wait(beast::bind_front_handler(&Session::on_handler_timeout, shared_from_this(), id));
  try {
    context_->handler(std::move(request), client_, make_respond(id));
  } catch (const std::exception& e) {
    spdlog::error("request handler failed: {}; answering 500", e.what());
    if (awaiting_handler_ && request_id_ == id) {
      awaiting_handler_ = false;
      handler_timer_.cancel();
      answer_error(beast_http::status::internal_server_error, "internal error");
    }
  }
}

Respond Session::make_respond(std::uint64_t request_id) {
  // Posted even when called inside the Handler: the session is never
  // re-entered from the Handler's stack. The weak reference is only locked on
  // the loop's thread, so the session is destroyed only there.
  auto executor = stream_.get_executor();
  std::weak_ptr<Session> weak = weak_from_this();
  auto called = std::make_shared<std::atomic<bool>>(false);
  return [executor, weak, request_id, called](Response response) {
    if (called->exchange(true)) {
      spdlog::warn("respond called twice for one request; the second response is dropped");
      return;
    }
    net::post(executor, [weak, request_id, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->on_respond(request_id, std::move(response));
    });
  };
}

void Session::on_respond(std::uint64_t request_id, Response response) {
  if (closed_ || !awaiting_handler_ || request_id != request_id_) {
    spdlog::debug("response {} dropped: connection closed or request already answered",
                  static_cast<unsigned>(response.result_int()));
    return;
  }
  awaiting_handler_ = false;
  handler_timer_.cancel();
  if (!request_keep_alive_) response.keep_alive(false);
  do_write(std::move(response), false);
}

void Session::on_handler_timeout(std::uint64_t request_id, beast::error_code ec) {
  if (ec || closed_ || !awaiting_handler_ || request_id != request_id_) return;
  awaiting_handler_ = false;
  spdlog::warn("request handler did not answer within {} ms; answering 503", context_->limits.handler_timeout.count());
  answer_error(beast_http::status::service_unavailable, "the server did not answer in time");
}

// --- writing -----------------------------------------------------------------

void Session::answer_error(beast_http::status status, const std::string& message) {
  do_write(context_->error_responder(status, message), true);
}

void Session::do_write(Response response, bool force_close) {
  response_ = std::move(response);
  if (force_close) response_.keep_alive(false);
  if (!response_.has_content_length() && !response_.chunked()) response_.prepare_payload();
  close_after_write_ = response_.need_eof();
  stream_.expires_after(context_->limits.write_timeout);
  beast_http::async_write(stream_, response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
}

void Session::on_write(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    if (ec != net::error::operation_aborted) spdlog::debug("write failed: {}", ec.message());
    return;
  }
  if (close_after_write_) return do_linger();
  do_read();
}

// --- closing -----------------------------------------------------------------

void Session::do_linger() {
  // Send FIN, then read and discard what the client still sends (the rest of
  // an oversized body, pipelined requests) until it closes or a short
  // deadline passes. Closing with unread input would send a reset, and the
  // client could lose the answer it has not read yet.
  do_shutdown();
  stream_.expires_after(std::min(context_->limits.read_timeout, kMaxLinger));
  stream_.async_read_some(net::buffer(drain_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::on_linger(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec || closed_) return;  // EOF, deadline or stop(): the socket closes with us
  stream_.async_read_some(net::buffer(drain_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::do_shutdown() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Nothing to do on failure: the peer is gone either way.
}

}  // namespace broadcaster::http::detail

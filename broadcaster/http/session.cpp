// One connection of http::Server (see session.h and server.h).
#include "http/session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
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

// --- lifetime ----------------------------------------------------------------

Session::Session(tcp::socket&& socket, std::shared_ptr<ServerContext> context)
    : stream_(std::move(socket)),
      handler_timer_(stream_.get_executor()),
      context_(std::move(context)) {
  beast::error_code ec;
  peer_ = stream_.socket().remote_endpoint(ec);  // stays unspecified if the peer already left
  context_->registry.add(this);
}

Session::~Session() { context_->registry.remove(this); }

void Session::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::do_read, shared_from_this()));
}

void Session::close() {
  closed_ = true;
  awaiting_handler_ = false;
  handler_timer_.cancel();
  stream_.close();
}

// --- reading -----------------------------------------------------------------

void Session::do_read() {
  if (closed_) return;
  // A fresh parser per request: the limits apply to each message.
  parser_.emplace();
  parser_->body_limit(context_->limits.body_limit);
  parser_->header_limit(
      static_cast<std::uint32_t>(std::min<std::size_t>(context_->limits.header_limit, UINT32_MAX)));
  // One deadline for the whole request, idle keep-alive wait included: the
  // stream's timer is absolute, so trickling bytes does not extend it.
  stream_.expires_after(context_->limits.read_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (closed_) return;
  if (ec == beast_http::error::end_of_stream) return do_shutdown();
  if (ec == beast_http::error::body_limit) {
    return answer_error(beast_http::status::payload_too_large,
                        fmt::format("request body exceeds {} bytes", context_->limits.body_limit));
  }
  if (ec == beast_http::error::header_limit) {
    return answer_error(
        beast_http::status::request_header_fields_too_large,
        fmt::format("request headers exceed {} bytes", context_->limits.header_limit));
  }
  if (is_malformed(ec)) {
    spdlog::debug("malformed request from {}: {}", peer_.address().to_string(), ec.message());
    return answer_error(beast_http::status::bad_request, "malformed request: " + ec.message());
  }
  if (ec) {
    // Timeout (the stream closed the socket), a reset, a half-sent request
    // followed by EOF, or stop(): nothing to answer.
    if (ec != net::error::operation_aborted) spdlog::debug("read ended: {}", ec.message());
    return;  // the socket closes when the last handler lets go of us
  }
  call_handler();
}

// --- the handler -------------------------------------------------------------

void Session::call_handler() {
  Request request = parser_->release();
  request_keep_alive_ = request.keep_alive();
  const std::uint64_t id = ++request_id_;
  awaiting_handler_ = true;
  handler_timer_.expires_after(context_->limits.handler_timeout);
  handler_timer_.async_wait(
      beast::bind_front_handler(&Session::on_handler_timeout, shared_from_this(), id));
  try {
    context_->handler(std::move(request), peer_, make_respond(id));
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
  spdlog::warn("request handler did not answer within {} ms; answering 503",
               context_->limits.handler_timeout.count());
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
  beast_http::async_write(stream_, response_,
                          beast::bind_front_handler(&Session::on_write, shared_from_this()));
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
  stream_.async_read_some(net::buffer(drain_),
                          beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::on_linger(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec || closed_) return;  // EOF, deadline or stop(): the socket closes with us
  stream_.async_read_some(net::buffer(drain_),
                          beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::do_shutdown() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Nothing to do on failure: the peer is gone either way.
}

}  // namespace broadcaster::http::detail

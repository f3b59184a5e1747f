// The simulator's glue to http::Server (see http_server.h).
#include "simulator/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <string>
#include <utility>

namespace broadcaster::simulator {

namespace net = boost::asio;
namespace bc_http = broadcaster::http;

namespace {

/// The simulator's own error answers keep its JSON shape.
Response json_error(http::status status, const std::string& message) {
  return plain_json_response(status,
                             {{"status", static_cast<unsigned>(status)}, {"message", message}});
}

}  // namespace

bc_http::ServerLimits limits_from(const SimOptions& options) {
  bc_http::ServerLimits limits;
  limits.body_limit = options.body_limit;
  limits.header_limit = options.header_limit;
  limits.read_timeout = std::chrono::milliseconds(options.read_timeout_ms);
  limits.handler_timeout = std::chrono::milliseconds(options.delay_ms) + std::chrono::seconds(30);
  limits.write_timeout = std::chrono::milliseconds(options.write_timeout_ms);
  limits.max_connections = options.max_connections;
  return limits;
}

HttpServer::HttpServer(net::io_context& io, Simulator& simulator, bc_http::ServerLimits limits)
    : io_(io),
      simulator_(simulator),
      server_(
          io,
          [this](Request&& request, const net::ip::tcp::endpoint& /*peer*/,
                 bc_http::Respond respond) { handle(std::move(request), std::move(respond)); },
          limits, &json_error) {}

net::ip::tcp::endpoint HttpServer::listen(const net::ip::tcp::endpoint& endpoint) {
  return server_.listen(endpoint);
}

void HttpServer::start() { server_.start(); }

void HttpServer::stop() {
  net::dispatch(io_, [this] {
    delayed_.clear();  // destroying a timer cancels its wait; the handlers see an error
    server_.stop();
  });
}

std::size_t HttpServer::refused_connections() const noexcept {
  return server_.refused_connections();
}

void HttpServer::handle(Request&& request, bc_http::Respond respond) {
  SimReply reply = simulator_.handle(request);
  if (reply.delay.count() <= 0) return respond(std::move(reply.response));

  const auto timer = delayed_.emplace(delayed_.end(), io_);
  timer->expires_after(reply.delay);
  timer->async_wait(
      [this, timer, respond = std::move(respond),
       response = std::move(reply.response)](const boost::system::error_code& ec) mutable {
        if (ec) return;  // stop(): the timer, and so `timer`, is gone
        delayed_.erase(timer);
        respond(std::move(response));
      });
}

}  // namespace broadcaster::simulator

// The listener of http::Server and the Server facade (see server.h).
#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <utility>

#include "http/session.h"
#include "util/errors.h"

namespace broadcaster::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace detail {

// --- listener ----------------------------------------------------------------

/// Accepts connections and starts a Session for each, up to the limit.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, std::shared_ptr<ServerContext> context)
      : acceptor_(io), retry_timer_(io), context_(std::move(context)) {}

  tcp::endpoint listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    const auto fail = [&](const char* what) {
      throw Error(fmt::format("cannot {} {}:{}: {} (is the port in use, or the address not local?)",
                              what, endpoint.address().to_string(), endpoint.port(), ec.message()));
    };
    if (acceptor_.open(endpoint.protocol(), ec); ec) fail("open a socket for");
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) fail("configure");
    if (acceptor_.bind(endpoint, ec); ec) fail("bind to");
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) fail("listen on");
    const auto bound = acceptor_.local_endpoint(ec);
    if (ec) fail("read the bound address of");
    return bound;
  }

  void start() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    beast::error_code ec;
    retry_timer_.cancel();
    if (acceptor_.close(ec); ec) spdlog::debug("closing the acceptor: {}", ec.message());
    context_->registry.close_all();
  }

  std::size_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

 private:
  void do_accept() {
    if (stopped_) return;
    // One thread runs the io_context, so the sockets share its executor
    // (an implicit strand) instead of Beast's per-connection strand.
    acceptor_.async_accept(beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopped_ || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors and the like: back off briefly instead of spinning.
      spdlog::warn("accept failed: {}; retrying in 100 ms", ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->do_accept();
      });
      return;
    }
    if (context_->registry.size() >= context_->limits.max_connections) {
      if (refused_.fetch_add(1, std::memory_order_relaxed) == 0) {
        spdlog::warn("refusing connections beyond max_connections={}",
                     context_->limits.max_connections);
      }
      beast::error_code close_ec;
      if (socket.close(close_ec); close_ec) spdlog::debug("close: {}", close_ec.message());
    } else {
      std::make_shared<Session>(std::move(socket), context_)->run();
    }
    do_accept();
  }

  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  std::shared_ptr<ServerContext> context_;
  std::atomic<std::size_t> refused_{0};
  bool stopped_ = false;
};

}  // namespace detail

// --- Server ------------------------------------------------------------------

Server::Server(net::io_context& io, Handler handler, ServerLimits limits,
               ErrorResponder error_responder)
    : io_(io) {
  auto context = std::make_shared<detail::ServerContext>();
  context->handler = std::move(handler);
  context->error_responder =
      error_responder ? std::move(error_responder) : ErrorResponder(&plain_text_error);
  context->limits = limits;
  listener_ = std::make_shared<detail::Listener>(io, std::move(context));
}

Server::~Server() = default;

tcp::endpoint Server::listen(const tcp::endpoint& endpoint) { return listener_->listen(endpoint); }

void Server::start() { listener_->start(); }

void Server::stop() {
  net::dispatch(io_, [listener = listener_] { listener->stop(); });
}

std::size_t Server::refused_connections() const noexcept { return listener_->refused(); }

}  // namespace broadcaster::http

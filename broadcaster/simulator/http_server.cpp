// Beast listener and sessions of the simulator (see http_server.h).
#include "simulator/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "util/errors.h"

namespace broadcaster::simulator {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

ServerLimits limits_from(const SimOptions& options) {
  return ServerLimits{options.body_limit, options.header_limit,
                      std::chrono::milliseconds(options.read_timeout_ms),
                      std::chrono::milliseconds(options.write_timeout_ms), options.max_connections};
}

namespace detail {

class Session;

// --- session registry --------------------------------------------------------

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

// --- session -----------------------------------------------------------------

/// One connection: read a request, answer it (maybe after a delay), repeat
/// while the client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Simulator& simulator, const ServerLimits& limits,
          std::shared_ptr<SessionRegistry> registry)
      : stream_(std::move(socket)),
        delay_timer_(stream_.get_executor()),
        simulator_(simulator),
        limits_(limits),
        registry_(std::move(registry)) {
    registry_->add(this);
  }

  ~Session() { registry_->remove(this); }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts reading on the stream's executor.
  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

  /// Closes the connection now; pending handlers complete with an error.
  void close() {
    delay_timer_.cancel();
    stream_.close();
  }

 private:
  void do_read() {
    // A fresh parser per request: the limits apply to each message.
    parser_.emplace();
    parser_->body_limit(limits_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    stream_.expires_after(limits_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec == http::error::body_limit) {
      res_ = plain_json_response(
          http::status::payload_too_large,
          {{"status", 413},
           {"message", fmt::format("request body exceeds {} bytes", limits_.body_limit)}});
      return do_write();
    }
    if (ec == http::error::header_limit) {
      res_ = plain_json_response(
          http::status::request_header_fields_too_large,
          {{"status", 431},
           {"message", fmt::format("request headers exceed {} bytes", limits_.header_limit)}});
      return do_write();
    }
    if (ec) {
      if (ec != net::error::operation_aborted) spdlog::debug("read ended: {}", ec.message());
      return;  // the socket closes when the last handler lets go of us
    }

    SimReply reply = simulator_.handle(parser_->get());
    res_ = std::move(reply.response);
    if (reply.delay.count() > 0) {
      delay_timer_.expires_after(reply.delay);
      delay_timer_.async_wait(beast::bind_front_handler(&Session::on_delay, shared_from_this()));
      return;
    }
    do_write();
  }

  void on_delay(beast::error_code ec) {
    if (ec) return;  // stop() cancelled the timer
    do_write();
  }

  void do_write() {
    stream_.expires_after(limits_.write_timeout);
    http::async_write(
        stream_, res_,
        beast::bind_front_handler(&Session::on_write, shared_from_this(), res_.need_eof()));
  }

  void on_write(bool close_after, beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      if (ec != net::error::operation_aborted) spdlog::debug("write failed: {}", ec.message());
      return;
    }
    if (close_after) return do_close();
    do_read();
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    // Nothing to do on failure: the peer is gone either way.
  }

  beast::tcp_stream stream_;
  net::steady_timer delay_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response res_;
  Simulator& simulator_;
  ServerLimits limits_;
  std::shared_ptr<SessionRegistry> registry_;
};

void SessionRegistry::close_all() {
  // Copy first: closing never destroys a session synchronously, but keep the
  // iteration independent of that detail.
  const std::vector<Session*> sessions(live_.begin(), live_.end());
  for (Session* s : sessions) s->close();
}

// --- listener ----------------------------------------------------------------

/// Accepts connections and starts a Session for each, up to the limit.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, Simulator& simulator, ServerLimits limits)
      : acceptor_(io),
        retry_timer_(io),
        simulator_(simulator),
        limits_(limits),
        registry_(std::make_shared<SessionRegistry>()) {}

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

  void start() { do_accept(); }

  void stop() {
    stopped_ = true;
    beast::error_code ec;
    retry_timer_.cancel();
    if (acceptor_.close(ec); ec) spdlog::debug("closing the acceptor: {}", ec.message());
    registry_->close_all();
  }

  std::size_t refused() const noexcept { return refused_; }

 private:
  void do_accept() {
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
        if (!wait_ec && !self->stopped_) self->do_accept();
      });
      return;
    }
    if (registry_->size() >= limits_.max_connections) {
      if (refused_++ == 0) {
        spdlog::warn("refusing connections beyond --max-connections={}", limits_.max_connections);
      }
      beast::error_code close_ec;
      if (socket.close(close_ec); close_ec) spdlog::debug("close: {}", close_ec.message());
    } else {
      std::make_shared<Session>(std::move(socket), simulator_, limits_, registry_)->run();
    }
    do_accept();
  }

  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  Simulator& simulator_;
  ServerLimits limits_;
  std::shared_ptr<SessionRegistry> registry_;
  std::size_t refused_ = 0;
  bool stopped_ = false;
};

}  // namespace detail

// --- HttpServer --------------------------------------------------------------

HttpServer::HttpServer(net::io_context& io, Simulator& simulator, ServerLimits limits)
    : listener_(std::make_shared<detail::Listener>(io, simulator, limits)) {}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::listen(const tcp::endpoint& endpoint) {
  return listener_->listen(endpoint);
}

void HttpServer::start() { listener_->start(); }

void HttpServer::stop() { listener_->stop(); }

std::size_t HttpServer::refused_connections() const noexcept { return listener_->refused(); }

}  // namespace broadcaster::simulator

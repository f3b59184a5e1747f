// The listener of http::Server and the Server facade (see server.h).
#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <cstdint>
#include <utility>

#include "http/address_range.h"
#include "http/open_file_limit.h"
#include "http/session.h"
#include "util/errors.h"

namespace broadcaster::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace detail {

namespace {

/// How long accepting pauses after accept() failed (out of descriptors).
constexpr std::chrono::milliseconds kAcceptRetry{100};
/// Refusals are logged at warn at most this often per reason, with a count.
constexpr std::chrono::seconds kRefusalLogInterval{60};
/// Descriptors a process needs beyond its connections (logs, Redis, curl).
constexpr std::uint64_t kSpareDescriptors = 64;

}  // namespace

// --- listener ----------------------------------------------------------------

/// Accepts connections and starts a Session for each, up to the limit.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, std::shared_ptr<ServerContext> context)
      : acceptor_(io), retry_timer_(io), context_(std::move(context)) {}

  tcp::endpoint listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    const auto fail = [&](const char* what) {
      throw Error(fmt::format("cannot {} {}:{}: {} (is the port in use, or the address not local?)", what,
                              endpoint.address().to_string(), endpoint.port(), ec.message()));
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
    const OpenFileLimit files = open_file_limit();
    if (files.soft != 0 && files.soft < context_->limits.max_connections + kSpareDescriptors) {
      spdlog::warn(
          "max_connections={} but the process may open only {} files; accepts may fail when they run out "
          "(raise the soft limit, `ulimit -n`, up to the hard limit {})",
          context_->limits.max_connections, files.soft, files.hard);
    }
    net::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    beast::error_code ec;
    retry_timer_.cancel();
    if (acceptor_.close(ec); ec) spdlog::debug("closing the acceptor: {}", ec.message());
    context_->registry.close_all();
  }

  ServerCounters counters() const noexcept { return context_->counters.snapshot(); }

 private:
  void do_accept() {
    if (stopped_) return;
    // One thread runs the io_context, so the sockets share its executor
    // (an implicit strand) instead of Beast's per-connection strand.
    acceptor_.async_accept(beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopped_ || ec == net::error::operation_aborted) return;
    if (ec) return on_accept_error(ec);
    if (failed_accepts_ > 0) {
      spdlog::info("accepting connections again after {} failed attempts", failed_accepts_);
      failed_accepts_ = 0;
    }
    beast::error_code peer_ec;
    const tcp::endpoint raw_peer = socket.remote_endpoint(peer_ec);
    if (peer_ec) {  // the client already left
      close(socket);
      return do_accept();
    }
    const tcp::endpoint peer(normalized(raw_peer.address()), raw_peer.port());
    const bool exempt = context_->limits.trusted_proxies.trusts(peer.address());
    Admission& admission = context_->admission;
    if (const auto refusal = admission.check_connection(peer.address(), context_->registry.size(), exempt)) {
      refuse(*refusal, peer.address());
      // An abortive close (RST): a flood of refused connections leaves no
      // TIME_WAIT state behind on our side, and a client that had already
      // sent bytes would get a reset from the kernel anyway.
      beast::error_code linger_ec;
      socket.set_option(net::socket_base::linger(true, 0), linger_ec);
      close(socket);
    } else {
      const bool count_peer = admission.per_client_enabled() && !exempt;
      std::make_shared<Session>(std::move(socket), context_, peer, count_peer)->run();
    }
    do_accept();
  }

  /// Out of descriptors and the like: log once, then retry every
  /// kAcceptRetry (the pending connections wait in the listen backlog)
  /// instead of spinning on a socket that stays readable.
  void on_accept_error(const beast::error_code& ec) {
    CounterCells::bump(context_->counters.accept_failures);
    if (failed_accepts_++ == 0) {
      spdlog::warn("accept failed: {} ({} connections open); retrying every {} ms until it succeeds", ec.message(),
                   context_->registry.size(), kAcceptRetry.count());
    }
    retry_timer_.expires_after(kAcceptRetry);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
  }

  void refuse(Refusal refusal, const net::ip::address& client) {
    CounterCells& c = context_->counters;
    switch (refusal) {
      case Refusal::per_client:
        CounterCells::bump(c.refused_per_client);
        break;
      case Refusal::fair_share:
        CounterCells::bump(c.refused_fair_share);
        break;
      case Refusal::total:
        CounterCells::bump(c.refused_total);
        break;
    }
    RefusalLog& log = refusal_logs_[static_cast<std::size_t>(refusal)];
    ++log.since_last;
    const auto now = std::chrono::steady_clock::now();
    if (log.last != std::chrono::steady_clock::time_point{} && now - log.last < kRefusalLogInterval) return;
    const auto& limits = context_->limits;
    spdlog::warn("refused {} connection(s) ({}: max_connections={}, max_connections_per_client={}), the latest from {}",
                 log.since_last, to_string(refusal), limits.max_connections, limits.max_connections_per_client,
                 client.to_string());
    log.last = now;
    log.since_last = 0;
  }

  static void close(tcp::socket& socket) {
    beast::error_code ec;
    if (socket.close(ec); ec) spdlog::debug("close: {}", ec.message());
  }

  /// When a reason was last logged, and how often it happened since.
  struct RefusalLog {
    std::chrono::steady_clock::time_point last{};
    std::size_t since_last = 0;
  };

  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  std::shared_ptr<ServerContext> context_;
  std::array<RefusalLog, 3> refusal_logs_{};  // indexed by Refusal
  std::size_t failed_accepts_ = 0;            // in a row, since the last accept that worked
  bool stopped_ = false;
};

}  // namespace detail

// --- Server ------------------------------------------------------------------

Server::Server(net::io_context& io, Handler handler, ServerLimits limits, ErrorResponder error_responder) : io_(io) {
  auto context = std::make_shared<detail::ServerContext>(
      std::move(handler), error_responder ? std::move(error_responder) : ErrorResponder(&plain_text_error),
      std::move(limits));
  listener_ = std::make_shared<detail::Listener>(io, std::move(context));
}

Server::~Server() = default;

tcp::endpoint Server::listen(const tcp::endpoint& endpoint) { return listener_->listen(endpoint); }

void Server::start() { listener_->start(); }

void Server::stop() {
  net::dispatch(io_, [listener = listener_] { listener->stop(); });
}

std::size_t Server::refused_connections() const noexcept {
  const ServerCounters c = listener_->counters();
  return c.refused_per_client + c.refused_fair_share + c.refused_total;
}

ServerCounters Server::counters() const noexcept { return listener_->counters(); }

}  // namespace broadcaster::http

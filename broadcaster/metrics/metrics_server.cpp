// Serving the registry over HTTP, after the collect step.
#include "metrics/metrics_server.h"

#include <boost/asio/steady_timer.hpp>

#include "http/response.h"
#include "metrics/text_format.h"

namespace broadcaster::metrics {

namespace beast_http = boost::beast::http;

namespace {

http::ServerLimits scrape_limits() {
  http::ServerLimits limits;
  limits.body_limit = 1024;  // a scrape is a GET without a body
  limits.max_connections = 16;
  limits.handler_timeout = kCollectTimeout * 2;
  return limits;
}

}  // namespace

MetricsServer::MetricsServer(boost::asio::io_context& io, const Registry& registry, Collect collect)
    : io_(io),
      registry_(registry),
      collect_(std::move(collect)),
      server_(
          io,
          [this](http::Request&& request, const boost::asio::ip::tcp::endpoint&, http::Respond respond) {
            on_request(std::move(request), std::move(respond));
          },
          scrape_limits()) {}

boost::asio::ip::tcp::endpoint MetricsServer::listen(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto bound = server_.listen(endpoint);
  server_.start();
  return bound;
}

void MetricsServer::stop() { server_.stop(); }

void MetricsServer::on_request(http::Request&& request, http::Respond respond) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics" && path != "/healthz") {
    return respond(http::make_response(beast_http::status::not_found, "text/plain; charset=utf-8",
                                       "not found; metrics are at /metrics\n", keep_alive, version));
  }
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    auto answer = http::make_response(beast_http::status::method_not_allowed, "text/plain; charset=utf-8", "use GET\n",
                                      keep_alive, version);
    answer.set(beast_http::field::allow, "GET, HEAD");
    return respond(std::move(answer));
  }
  if (path == "/healthz") {
    return respond(
        http::make_response(beast_http::status::ok, "text/plain; charset=utf-8", "ok\n", keep_alive, version));
  }
  // Answered once: by the collect step finishing, or by the timer.
  struct Pending {
    http::Respond respond;
    boost::asio::steady_timer timer;
    bool answered = false;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(respond), boost::asio::steady_timer(io_), false});
  auto answer = [this, pending, keep_alive, version] {
    if (pending->answered) return;
    pending->answered = true;
    pending->timer.cancel();
    pending->respond(http::make_response(beast_http::status::ok, kTextContentType, write_text(registry_.snapshot()),
                                         keep_alive, version));
  };
  if (!collect_) return answer();
  pending->timer.expires_after(kCollectTimeout);
  pending->timer.async_wait([answer](const boost::system::error_code& ec) {
    if (!ec) answer();
  });
  collect_(answer);
}

}  // namespace broadcaster::metrics

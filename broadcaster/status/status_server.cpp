// Routing the status page's requests.
#include "status/status_server.h"

#include <string_view>

#include "http/response.h"
#include "status_assets.h"

namespace broadcaster::status {

namespace beast_http = boost::beast::http;

namespace {

http::ServerLimits page_limits() {
  http::ServerLimits limits;
  limits.body_limit = 1024;  // every request is a GET without a body
  limits.max_connections = 64;
  limits.max_connections_per_client = 16;
  limits.handler_timeout = std::chrono::seconds(10);
  return limits;
}

struct Asset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

constexpr Asset kAssets[] = {
    {"/", "text/html; charset=utf-8", assets::kPage},
    {"/status.css", "text/css; charset=utf-8", assets::kPageStyle},
    {"/status.js", "text/javascript; charset=utf-8", assets::kPageScript},
};

// What every answer carries: only this server's own script, style and
// data; no framing (clickjacking), no MIME sniffing, no Referer to follow a
// link out.
void harden(http::Response& r) {
  r.set("Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("X-Frame-Options", "DENY");
  r.set("Referrer-Policy", "no-referrer");
}

http::Response json_answer(beast_http::status status, const nlohmann::json& body, bool keep_alive, unsigned version) {
  auto r = http::make_response(status, "application/json", body.dump() + "\n", keep_alive, version);
  r.set(beast_http::field::cache_control, "no-store");
  harden(r);
  return r;
}

}  // namespace

StatusServer::StatusServer(boost::asio::io_context& io, AccessToken token, std::shared_ptr<SnapshotCache> cache)
    : token_(std::move(token)),
      cache_(std::move(cache)),
      server_(
          io,
          [this](http::Request&& request, const boost::asio::ip::tcp::endpoint&, http::Respond respond) {
            on_request(std::move(request), std::move(respond));
          },
          page_limits()) {}

boost::asio::ip::tcp::endpoint StatusServer::listen(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto bound = server_.listen(endpoint);
  server_.start();
  return bound;
}

void StatusServer::stop() { server_.stop(); }

void StatusServer::on_request(http::Request&& request, http::Respond respond) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  const std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/index.html") path = "/";
  if (request.method() != beast_http::verb::get) {
    auto r = http::make_response(beast_http::status::method_not_allowed, "text/plain; charset=utf-8", "use GET\n",
                                 keep_alive, version);
    r.set(beast_http::field::allow, "GET");
    harden(r);
    return respond(std::move(r));
  }
  for (const Asset& a : kAssets) {
    if (path != a.path) continue;
    auto r = http::make_response(beast_http::status::ok, a.content_type, std::string(a.body), keep_alive, version);
    r.set(beast_http::field::cache_control, "no-cache");
    harden(r);
    return respond(std::move(r));
  }
  if (path == "/healthz") {
    auto r = http::make_response(beast_http::status::ok, "text/plain; charset=utf-8", "ok\n", keep_alive, version);
    harden(r);
    return respond(std::move(r));
  }
  if (path != "/status.json") {
    auto r = http::make_response(beast_http::status::not_found, "text/plain; charset=utf-8",
                                 "not found; the status page is at /\n", keep_alive, version);
    harden(r);
    return respond(std::move(r));
  }
  const auto authorization = request.find(beast_http::field::authorization);
  if (authorization == request.end() ||
      !token_.admits(std::string_view(authorization->value().data(), authorization->value().size()))) {
    auto r = json_answer(beast_http::status::unauthorized,
                         {{"error", "this page needs the status token (status_page.token_env on the serve host)"}},
                         keep_alive, version);
    r.set(beast_http::field::www_authenticate, "Bearer realm=\"broadcaster status\"");
    return respond(std::move(r));
  }
  cache_->get([respond = std::move(respond), keep_alive, version](const SnapshotResult& result) {
    if (result.snapshot) return respond(json_answer(beast_http::status::ok, *result.snapshot, keep_alive, version));
    respond(json_answer(beast_http::status::service_unavailable, {{"error", result.error}}, keep_alive, version));
  });
}

}  // namespace broadcaster::status

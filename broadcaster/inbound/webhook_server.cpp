// Routing, queueing and the worker thread of the webhook server.
#include "inbound/webhook_server.h"

#include <spdlog/spdlog.h>

#include <map>

#include "inbound/keyword_responder.h"
#include "metrics/serve_metrics.h"
#include "store/redis_client.h"
#include "util/errors.h"

namespace broadcaster::inbound {

namespace beast_http = boost::beast::http;

namespace {

http::Response text_response(beast_http::status status, const std::string& text, unsigned version) {
  http::Response response{status, version};
  response.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  response.body() = text + "\n";
  response.prepare_payload();
  return response;
}

http::Response to_beast(const channels::HttpResponse& answer, unsigned version) {
  http::Response response{static_cast<beast_http::status>(answer.status), version};
  for (const auto& [name, value] : answer.headers) response.set(name, value);
  response.body() = answer.body;
  response.prepare_payload();
  return response;
}

channels::InboundRequest from_beast(const http::Request& request) {
  channels::InboundRequest in;
  in.method = std::string(request.method_string());
  in.target = std::string(request.target());
  for (const auto& field : request)
    in.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  in.body = request.body();
  return in;
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

http::ServerLimits server_limits(const config::InboundConfig& in) {
  http::ServerLimits limits;
  limits.body_limit = in.limits.body_bytes;
  limits.header_limit = in.limits.header_bytes;
  limits.header_timeout = in.limits.header_timeout;
  limits.read_timeout = in.limits.request_timeout;
  limits.idle_timeout = in.limits.idle_timeout;
  limits.handler_timeout = in.limits.request_timeout;
  limits.write_timeout = in.limits.request_timeout;
  limits.max_connections = in.limits.max_connections;
  limits.max_connections_per_client = in.limits.max_connections_per_client;
  limits.trusted_proxies = http::TrustedProxies(in.trusted_proxies);
  return limits;
}

}  // namespace

WebhookServer::WebhookServer(boost::asio::io_context& io, const config::Config& cfg, store::RedisEndpoint redis,
                             std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints,
                             keywords::KeywordSet keywords, std::optional<std::string> subject_key)
    : cfg_(cfg),
      redis_endpoint_(std::move(redis)),
      endpoints_(std::move(endpoints)),
      keywords_(std::move(keywords)),
      subject_key_(std::move(subject_key)),
      server_(
          io,
          [this](http::Request&& request, const boost::asio::ip::tcp::endpoint& peer, http::Respond respond) {
            on_request(std::move(request), peer, std::move(respond));
          },
          server_limits(cfg.inbound)) {
  // One path, one endpoint: otherwise one provider's texts or receipts would
  // silently go to another's parser.
  std::map<std::string, std::string> owner;
  for (const auto& e : endpoints_) {
    for (const auto& p : e->paths()) {
      if (p == "/healthz")
        throw ConfigError(cfg_.file.string(), 0, 0,
                          "inbound endpoint " + e->name() + " uses /healthz, which serve keeps for health checks");
      const auto [it, fresh] = owner.emplace(p, e->name());
      if (!fresh) {
        throw ConfigError(cfg_.file.string(), 0, 0,
                          "inbound endpoints " + it->second + " and " + e->name() + " both use the path " + p);
      }
    }
  }
}

WebhookServer::~WebhookServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

boost::asio::ip::tcp::endpoint WebhookServer::start() {
  redis_ = std::make_unique<store::RedisClient>(redis_endpoint_);
  responder_ = std::make_unique<KeywordResponder>(cfg_, keywords_, *redis_, subject_key_);
  receipts_ = std::make_unique<ReceiptRecorder>(cfg_, *redis_, subject_key_);
  replies_ = std::make_unique<ReplyDispatch>(cfg_, *redis_);
  const auto bound = server_.listen(http::parse_listen_address(cfg_.inbound.listen));
  server_.start();
  worker_ = std::thread([this] { work(); });
  for (const auto& e : endpoints_) {
    for (const auto& p : e->paths()) {
      spdlog::info("inbound endpoint {} listening at http://{}:{}{}", e->name(), bound.address().to_string(),
                   bound.port(), p);
    }
  }
  return bound;
}

http::ServerCounters WebhookServer::counters() const noexcept { return server_.counters(); }

void WebhookServer::stop() {
  server_.stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void WebhookServer::on_request(http::Request&& request, const boost::asio::ip::tcp::endpoint& /*peer*/,
                               http::Respond respond) {
  const unsigned version = request.version();
  const std::string path = path_of(std::string_view(request.target().data(), request.target().size()));
  if (path == "/healthz" && request.method() == beast_http::verb::get) {
    return respond(text_response(beast_http::status::ok, "ok", version));
  }
  const channels::InboundEndpoint* endpoint = nullptr;
  for (const auto& e : endpoints_) {
    for (const auto& p : e->paths()) {
      if (p == path) endpoint = e.get();
    }
  }
  if (endpoint == nullptr) {
    if (metrics_) metrics_->webhook_rejections.add({"unknown_path"});
    return respond(text_response(beast_http::status::not_found, "no such endpoint", version));
  }

  channels::InboundParse parsed = endpoint->parse(from_beast(request));
  if (!parsed.message && !parsed.receipt) {
    spdlog::warn("inbound {}: refused with {}: {}", endpoint->name(), parsed.status, parsed.reason);
    if (metrics_) {
      const bool auth = parsed.status == 401 || parsed.status == 403;
      metrics_->webhook_rejections.add({auth ? "unauthenticated" : "invalid_request"});
    }
    return respond(text_response(static_cast<beast_http::status>(parsed.status), parsed.reason, version));
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < cfg_.inbound.max_pending) {
      queue_.push_back(Job{parsed.message ? std::move(*parsed.message) : channels::InboundMessage{},
                           std::move(parsed.receipt), endpoint, std::move(respond), version});
      wake_.notify_one();
      return;
    }
  }
  spdlog::warn("inbound {}: {} texts waiting, answering 503 so the provider retries", endpoint->name(),
               cfg_.inbound.max_pending);
  if (metrics_) metrics_->webhook_rejections.add({"busy"});
  respond(text_response(beast_http::status::service_unavailable, "busy, retry later", version));
}

void WebhookServer::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left in hand
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      if (!responder_) {  // the connection broke on an earlier message: reconnect
        redis_ = std::make_unique<store::RedisClient>(redis_endpoint_);
        responder_ = std::make_unique<KeywordResponder>(cfg_, keywords_, *redis_, subject_key_);
        receipts_ = std::make_unique<ReceiptRecorder>(cfg_, *redis_, subject_key_);
        replies_ = std::make_unique<ReplyDispatch>(cfg_, *redis_);
      }
      if (job.receipt) {
        // Answered 200 whatever became of it (an unknown message too), so
        // the provider does not retry what we chose to ignore.
        receipts_->handle(*job.receipt);
        if (metrics_) metrics_->receipt(*job.receipt);
        job.respond(to_beast(job.endpoint->reply(std::nullopt), job.version));
        continue;
      }
      const Outcome outcome = responder_->handle(job.message);
      channels::HttpResponse answer = job.endpoint->reply(replies_->dispatch(job.message, outcome));
      if (!outcome.reply_withheld.empty())
        answer.headers.emplace_back(channels::kReplyWithheldHeader, outcome.reply_withheld);
      job.respond(to_beast(answer, job.version));
      if (metrics_) metrics_->inbound_texts.add({std::string(keywords::to_string(outcome.action)), outcome.result});
    } catch (const RedisError& e) {
      spdlog::error("inbound {}: Redis failed ({}); answering 503 so the provider retries", job.endpoint->name(),
                    e.what());
      if (metrics_) metrics_->redis_errors.add({"webhook"});
      responder_.reset();
      receipts_.reset();
      replies_.reset();
      redis_.reset();
      job.respond(text_response(beast_http::status::service_unavailable, "temporarily unavailable", job.version));
    } catch (const Error& e) {
      spdlog::error("inbound {}: {}", job.endpoint->name(), e.what());
      job.respond(text_response(beast_http::status::internal_server_error, "internal error", job.version));
    }
  }
}

}  // namespace broadcaster::inbound

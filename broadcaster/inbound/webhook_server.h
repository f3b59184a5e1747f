// The webhook server `serve` runs for inbound texts: routes each provider's
// webhook to its endpoint (authentication and parsing), hands the message to
// the keyword responder, and answers in the provider's reply format (or
// queues the reply as an outbound message: reply_dispatch.h).
// Design: the HTTP side runs on serve's io_context (http::Server, with its
// body, header and time limits, and its per-client connection caps and
// trusted proxies, so one client cannot shut the door on the others). The responder uses the blocking Redis
// client, so it runs on one worker thread that owns its own connection; the
// loop never blocks. Requests wait in a bounded queue: when it is full the
// answer is 503, which providers retry later. If Redis fails while a message
// is handled the answer is also 503, so the provider retries, and the retry
// is recognised if the first attempt had in fact been applied. A broken Redis
// connection is replaced on the next message.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "channels/inbound.h"
#include "config/config.h"
#include "http/server.h"
#include "inbound/keyword_responder.h"
#include "inbound/receipt_recorder.h"
#include "inbound/reply_dispatch.h"
#include "keywords/keyword_set.h"
#include "store/redis_endpoint.h"

namespace broadcaster::store {
class RedisClient;
}

namespace broadcaster::metrics {
struct ServeMetrics;
}

namespace broadcaster::inbound {

class KeywordResponder;

class WebhookServer {
 public:
  /// Serves `endpoints` at their paths, as `cfg.inbound` says. `keywords` is
  /// the loaded keyword configuration. Nothing listens until start().
  WebhookServer(boost::asio::io_context& io, const config::Config& cfg, store::RedisEndpoint redis,
                std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints, keywords::KeywordSet keywords,
                std::optional<std::string> subject_key);
  ~WebhookServer();

  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  /// Connects to Redis and loads the reply templates (so a missing template
  /// stops `serve` at start, not at the first text), listens on
  /// cfg.inbound.listen and starts the worker. Returns the bound address.
  /// Throws ConfigError for templates, RedisError, or Error when the address
  /// cannot be bound.
  boost::asio::ip::tcp::endpoint start();

  /// What the HTTP server refused so far, by reason (for metrics). Any thread.
  http::ServerCounters counters() const noexcept;

  /// Counts texts by action, receipts by state and code, refused webhooks
  /// and Redis failures in `metrics` (null: not counted); it must outlive
  /// the server. Call before start().
  void set_metrics(metrics::ServeMetrics* metrics) noexcept { metrics_ = metrics; }

  /// Stops accepting, lets the worker finish the message in hand, and joins
  /// it. Call on the io_context's thread. Idempotent.
  void stop();

 private:
  struct Job {
    channels::InboundMessage message;
    std::optional<channels::DeliveryReceipt> receipt;  ///< set instead of a text
    const channels::InboundEndpoint* endpoint;
    http::Respond respond;
    unsigned version = 11;  ///< HTTP version of the request, for the answer
  };
  void on_request(http::Request&& request, const boost::asio::ip::tcp::endpoint& peer, http::Respond respond);
  void work();

  const config::Config& cfg_;
  store::RedisEndpoint redis_endpoint_;
  std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints_;
  keywords::KeywordSet keywords_;
  std::optional<std::string> subject_key_;
  http::Server server_;
  metrics::ServeMetrics* metrics_ = nullptr;  // not owned; used by both threads (its families lock)

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread worker_;
  // Owned by the worker once it runs (created by start() before it does).
  std::unique_ptr<store::RedisClient> redis_;
  std::unique_ptr<KeywordResponder> responder_;
  std::unique_ptr<ReceiptRecorder> receipts_;
  std::unique_ptr<ReplyDispatch> replies_;
};

}  // namespace broadcaster::inbound

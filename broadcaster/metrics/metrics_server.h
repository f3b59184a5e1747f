// The /metrics endpoint of `broadcaster serve`: its own small HTTP listener
// (http::Server, on serve's io_context), on the address `metrics.listen`
// names, separate from the webhook port so that it is never public by
// accident: the webhook port faces providers, this one faces Prometheus.
// Design: a scrape first runs the `collect` step (gauges read at scrape
// time, some asynchronously from Redis), then answers with the registry in
// the text format. If collect has not finished after kCollectTimeout the
// answer goes out with what the registry holds, so a stuck Redis cannot hang
// the scraper. Only GET /metrics (and /healthz) are served; everything else
// is 404, other methods 405.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "http/server.h"
#include "metrics/registry.h"

namespace broadcaster::metrics {

/// Longest a scrape waits for the collect step.
inline constexpr std::chrono::milliseconds kCollectTimeout{2000};

class MetricsServer {
 public:
  /// Brings gauges up to date, then calls `done` (once, on the io_context
  /// thread). Empty: nothing to collect.
  using Collect = std::function<void(std::function<void()> done)>;

  /// Serves `registry` (which must outlive the server). Nothing listens
  /// until listen().
  MetricsServer(boost::asio::io_context& io, const Registry& registry, Collect collect);

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Binds `endpoint` and starts serving; returns the bound address. Throws
  /// broadcaster::Error naming the address when it cannot be bound.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// Stops serving and closes open scrapes. Idempotent; on the io thread.
  void stop();

 private:
  void on_request(http::Request&& request, http::Respond respond);

  boost::asio::io_context& io_;
  const Registry& registry_;
  Collect collect_;
  http::Server server_;
};

}  // namespace broadcaster::metrics

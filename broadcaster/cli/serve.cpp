// `broadcaster serve`: run the senders until SIGTERM or SIGINT.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <optional>

#include "channels/registry.h"
#include "campaign/message_renderer.h"
#include "campaign/schedule_runner.h"
#include "campaign/submit.h"
#include "cli/context.h"
#include "http/listen_address.h"
#include "http/open_file_limit.h"
#include "inbound/webhook_server.h"
#include "keywords/keyword_set.h"
#include "metrics/metrics_server.h"
#include "metrics/queue_probe.h"
#include "metrics/registry.h"
#include "metrics/serve_metrics.h"
#include "sender/http_client.h"
#include "sender/sender.h"
#include "status/access_token.h"
#include "status/snapshot_cache.h"
#include "status/status_server.h"
#include "store/redis_client.h"
#include "store/redis_link.h"
#include "store/subject_hasher.h"
#include "util/errors.h"

namespace broadcaster::cli {

namespace {

std::string default_consumer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "host");
  return std::string(host) + ":" + std::to_string(getpid());
}

// Waits (with backoff, until SIGTERM/SIGINT) for Redis to answer, then reads
// the subject-hash key. Logs the first failure and then once a minute.
store::SubjectHasher wait_for_subject_hasher(const config::Config& cfg, const store::Keys& keys) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  auto delay = std::chrono::milliseconds(100);
  const auto started = std::chrono::steady_clock::now();
  auto last_log = std::chrono::steady_clock::time_point{};
  for (;;) {
    try {
      store::RedisClient setup(redis_endpoint(cfg));
      return store::SubjectHasher::load(setup, keys, subject_key(cfg));
    } catch (const RedisIoError& e) {
      const auto now = std::chrono::steady_clock::now();
      if (last_log == std::chrono::steady_clock::time_point{} || now - last_log >= std::chrono::minutes(1)) {
        spdlog::warn("serve: waiting for Redis ({} s so far): {}",
                     std::chrono::duration_cast<std::chrono::seconds>(now - started).count(), e.what());
        last_log = now;
      }
    }
    // Sleep, but leave at once on SIGTERM/SIGINT (blocked, then waited for).
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old);
    const timespec wait{static_cast<time_t>(delay.count() / 1000), static_cast<long>(delay.count() % 1000) * 1'000'000};
    const int got = sigtimedwait(&stop_signals, nullptr, &wait);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (got == SIGTERM || got == SIGINT) throw RedisIoError("serve stopped while waiting for Redis");
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

// claim_idle must leave room for a request to finish (and be renewed twice).
void check_claim_idle(const config::Config& cfg, const channels::Channel& channel) {
  const auto timeout = channel.request_timeout();
  if (timeout.count() > 0 && cfg.sender.claim_idle < 3 * timeout) {
    throw ConfigError(cfg.file.string(), 0, 0,
                      fmt::format("sender.claim_idle_ms ({}) must be at least 3 times channel '{}' timeout_ms ({}): "
                                  "a peer takes over any message idle that long, even one still on the wire",
                                  cfg.sender.claim_idle.count(), channel.name(), timeout.count()));
  }
}

// Gauges read at scrape time from this process (what it holds, its Redis
// link, what the webhook server refused), then the queue gauges from Redis.
void collect_metrics(metrics::ServeMetrics& m, const sender::Sender& sender, const sender::HttpClient& http,
                     store::RedisLink& redis, const inbound::WebhookServer* webhooks, const store::Keys& keys,
                     std::function<void()> done) {
  for (const auto& [channel, held] : sender.held_by_channel()) m.held.set({channel}, static_cast<double>(held));
  m.requests_in_flight.set({}, static_cast<double>(http.in_flight()));
  m.redis_up.set({}, redis.up() ? 1 : 0);
  m.redis_reconnects.set({}, static_cast<double>(redis.reconnects()));
  if (webhooks != nullptr) {
    const http::ServerCounters c = webhooks->counters();
    m.webhook_rejections.set({"per_client_cap"}, static_cast<double>(c.refused_per_client));
    m.webhook_rejections.set({"forwarded_client_cap"}, static_cast<double>(c.refused_forwarded));
    m.webhook_rejections.set({"fair_share"}, static_cast<double>(c.refused_fair_share));
    m.webhook_rejections.set({"max_connections"}, static_cast<double>(c.refused_total));
    m.webhook_rejections.set({"header_timeout"}, static_cast<double>(c.header_timeouts));
    m.webhook_rejections.set({"read_timeout"}, static_cast<double>(c.read_timeouts));
  }
  metrics::probe_queues(redis, keys, m, std::move(done));
}

}  // namespace

void add_serve_command(CLI::App& app, GlobalOptionsPtr options) {
  auto* cmd = app.add_subcommand(
      "serve",
      "Send queued campaign messages, and receive subscribers' texts (keywords) when `inbound.listen` is "
      "configured, until stopped. Run several, on one machine or many, against one Redis: they share the work "
      "and the rate limits. SIGTERM drains: no new reads or webhooks, sends on the wire finish, then exit.");
  auto consumer = std::make_shared<std::string>();
  cmd->add_option("--consumer", *consumer, "name in the consumer group (default host:pid)");
  cmd->callback([options, consumer] {
    const config::Config cfg = load_configuration(*options);
    if (cfg.channels.empty())
      throw ConfigError(cfg.file.string(), 0, 0, "no channels are configured; nothing to send with");
    const std::string name = consumer->empty() ? default_consumer_name() : *consumer;
    const store::Keys keys = keys_for(cfg);
    // The status page's token is checked before anything starts, so a
    // missing one stops serve at once with what to set.
    std::optional<status::AccessToken> status_token;
    if (!cfg.status_page.listen.empty())
      status_token = status::AccessToken::from_environment(cfg.status_page.token_env, config::process_env);

    // The consent log's subject-hash key (provider opt-outs are logged by the
    // sender) is read once before the loop starts; Redis may still be
    // starting (or loading its AOF): wait for it rather than exit. The webhook
    // server then connects at start (loading its reply templates) and again
    // whenever its connection breaks, answering 503 meanwhile.
    const store::SubjectHasher subjects = wait_for_subject_hasher(cfg, keys);

    // Many webhook and provider connections: the soft descriptor limit
    // (often 1024) should not be what refuses them.
    (void)http::raise_open_file_limit();

    boost::asio::io_context io;
    auto redis = store::RedisLink::create(io, redis_endpoint(cfg));
    std::size_t total_in_flight = 0;
    for (const auto& [n, ch] : cfg.channels) total_in_flight += ch.max_in_flight;
    sender::HttpClientOptions http_options;
    http_options.max_connections = std::min<std::size_t>(total_in_flight, 64);
    // No more requests inside curl than it has connections: a request curl
    // cannot give a connection is parked in its pending list and tried again
    // against every cached connection each time one frees up (curl_strnequal
    // near the top of perf at 256 in flight on 64 connections). The rest
    // wait in the client's own queue, in order.
    http_options.max_in_flight = http_options.max_connections;
    sender::HttpClient http(io, http_options);

    // Metrics are always counted (it is cheap); served only when
    // `metrics.listen` is configured.
    metrics::Registry registry;
    std::vector<std::string> channel_names;
    std::map<std::string, sender::ChannelRuntime> channels;
    for (const auto& [n, ch] : cfg.channels) {
      sender::ChannelRuntime runtime;
      runtime.channel = channels::make_channel(ch.settings, config::process_env);
      runtime.medium = ch.medium();
      check_claim_idle(cfg, *runtime.channel);
      channel_names.push_back(runtime.channel->name());
      runtime.max_in_flight = ch.max_in_flight;
      runtime.per_second = ch.rate_limit.per_second;
      if (ch.rate_limit.per_second > 0) {
        runtime.limiter = std::make_shared<sender::RateLimiter>(io, redis, keys.rate_limit(n), ch.rate_limit);
        if (cfg.outreach.urgent_rate_share < 1) {
          const config::RateLimitConfig bulk{ch.rate_limit.per_second * (1 - cfg.outreach.urgent_rate_share),
                                             ch.rate_limit.burst};
          runtime.bulk_lane = std::make_shared<sender::RateLimiter>(io, redis, keys.rate_limit_bulk(n), bulk);
        }
      }
      spdlog::info("channel {} ({}): rate limit {}, {} in flight", n, ch.settings.type,
                   ch.rate_limit.per_second > 0
                       ? fmt::format("{}/s burst {}", ch.rate_limit.per_second, ch.rate_limit.burst)
                       : std::string("off"),
                   ch.max_in_flight);
      channels.emplace(n, std::move(runtime));
    }
    auto sender =
        std::make_shared<sender::Sender>(io, redis, http, std::move(channels), keys, subjects, cfg.sender,
                                         cfg.outreach, name);
    metrics::ServeMetrics serve_metrics(registry, channel_names);
    sender->set_metrics(&serve_metrics);

    // Inbound texts (keywords) when the configuration says where to listen.
    std::unique_ptr<inbound::WebhookServer> webhooks;
    if (!cfg.inbound.listen.empty()) {
      std::vector<std::unique_ptr<channels::InboundEndpoint>> endpoints;
      for (const auto& settings : cfg.inbound.endpoints) {
        endpoints.push_back(channels::make_inbound_endpoint(settings, config::process_env));
      }
      webhooks = std::make_unique<inbound::WebhookServer>(io, cfg, redis_endpoint(cfg), std::move(endpoints),
                                                          keywords::KeywordSet::load(cfg.inbound.keywords_file),
                                                          subject_key(cfg));
      webhooks->set_metrics(&serve_metrics);
      webhooks->start();
    }
    auto stop_webhooks = [&] {
      if (webhooks) webhooks->stop();
    };

    // /metrics, on its own listener; kept up while draining, so the last
    // numbers can still be scraped, and closed when the sender has stopped.
    std::unique_ptr<metrics::MetricsServer> metrics_server;
    if (!cfg.metrics.listen.empty()) {
      metrics_server = std::make_unique<metrics::MetricsServer>(
          io, registry, [&](std::function<void()> done) {
            collect_metrics(serve_metrics, *sender, http, *redis, webhooks.get(), keys, std::move(done));
          });
      const auto bound = metrics_server->listen(http::parse_listen_address(cfg.metrics.listen));
      spdlog::info("metrics at http://{}:{}/metrics", bound.address().to_string(), bound.port());
    }

    // The status page, on its own listener; closed with /metrics.
    std::shared_ptr<status::SnapshotCache> snapshots;
    std::unique_ptr<status::StatusServer> status_server;
    if (status_token) {
      snapshots = std::make_shared<status::SnapshotCache>(redis_endpoint(cfg), keys,
                                                          status::SnapshotScope{cfg.outreach.time_zone, name});
      status_server = std::make_unique<status::StatusServer>(io, std::move(*status_token), snapshots);
      const auto bound = status_server->listen(http::parse_listen_address(cfg.status_page.listen));
      spdlog::info("status page at http://{}:{}/", bound.address().to_string(), bound.port());
    }

    // Scheduled campaigns: each due run is submitted (under its own id) by
    // exactly one serve process, on a thread of its own with its own
    // connection (campaign/schedule_runner.h).
    campaign::ScheduleRunner schedules(
        redis_endpoint(cfg), keys, cfg.outreach.time_zone,
        [&cfg, keys](store::RedisClient& r, const campaign::Campaign& c, const std::string& run_id,
                     const schedule::LocalDateTime& occurrence, const std::string& zone) {
          campaign::Campaign run = c;
          run.id.value = run_id;
          templates::TemplateStore templates = campaign::open_template_store(cfg);
          const bool per_recipient = zone == schedule::kRecipientZone;
          (void)campaign::submit_campaign(run, cfg, templates, r, keys, std::string(campaign::kSchedulerActor), {},
                                          per_recipient ? std::optional(occurrence) : std::nullopt);
        });

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      spdlog::info("received {}; draining", signo == SIGTERM ? "SIGTERM" : "SIGINT");
      stop_webhooks();
      schedules.request_stop();
      sender->drain();
    });
    bool announced = false;
    redis->start(store::RedisLink::Events{[&] {
                                            if (!announced)
                                              spdlog::info("serve {}: connected to Redis at {}", name,
                                                           redis->endpoint().describe());
                                            announced = true;
                                            sender->redis_up();
                                          },
                                          [&](const std::string&) {
                                            serve_metrics.redis_errors.add({"sender"});
                                            sender->redis_down();
                                          }});
    sender->start([&] {
      signals.cancel();
      stop_webhooks();
      if (metrics_server) metrics_server->stop();
      if (status_server) status_server->stop();
      redis->close();
    });
    io.run();
  });
}

}  // namespace broadcaster::cli

// `broadcaster serve`: run the senders until SIGTERM or SIGINT.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <csignal>

#include "channels/inbound_registry.h"
#include "channels/registry.h"
#include "cli/context.h"
#include "inbound/webhook_server.h"
#include "keywords/keyword_set.h"
#include "sender/http_client.h"
#include "sender/sender.h"
#include "store/async_redis.h"
#include "store/subject_hasher.h"
#include "util/errors.h"

namespace broadcaster::cli {

namespace {

std::string default_consumer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "host");
  return std::string(host) + ":" + std::to_string(getpid());
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
    if (cfg.channels.empty()) throw ConfigError(cfg.file.string(), 0, 0, "no channels are configured; nothing to send with");
    const std::string name = consumer->empty() ? default_consumer_name() : *consumer;
    const store::Keys keys = keys_for(cfg);

    // Read once before the loop starts: the key of the consent log's subject
    // hashes (provider opt-outs are logged by the sender).
    const store::SubjectHasher subjects = [&] {
      store::RedisClient setup(redis_endpoint(cfg));
      return store::SubjectHasher::load(setup, keys, subject_key(cfg));
    }();

    boost::asio::io_context io;
    auto redis = store::AsyncRedis::create(io, redis_endpoint(cfg));
    std::size_t total_in_flight = 0;
    for (const auto& [n, ch] : cfg.channels) total_in_flight += ch.max_in_flight;
    sender::HttpClientOptions http_options;
    http_options.max_in_flight = total_in_flight;
    http_options.max_connections = std::min<std::size_t>(total_in_flight, 64);
    sender::HttpClient http(io, http_options);

    std::map<std::string, sender::ChannelRuntime> channels;
    for (const auto& [n, ch] : cfg.channels) {
      sender::ChannelRuntime runtime;
      runtime.channel = channels::make_channel(ch.settings, config::process_env);
      runtime.max_in_flight = ch.max_in_flight;
      runtime.per_second = ch.rate_limit.per_second;
      if (ch.rate_limit.per_second > 0) {
        runtime.limiter = std::make_shared<sender::RateLimiter>(io, redis, keys.rate_limit(n), ch.rate_limit);
      }
      spdlog::info("channel {} ({}): rate limit {}, {} in flight", n, ch.settings.type,
                   ch.rate_limit.per_second > 0 ? fmt::format("{}/s burst {}", ch.rate_limit.per_second, ch.rate_limit.burst)
                                                : std::string("off"),
                   ch.max_in_flight);
      channels.emplace(n, std::move(runtime));
    }
    auto sender = std::make_shared<sender::Sender>(io, redis, http, std::move(channels), keys, subjects, cfg.sender, name);

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
      webhooks->start();
    }
    auto stop_webhooks = [&] {
      if (webhooks) webhooks->stop();
    };

    bool ok = true;
    std::string failure;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      spdlog::info("received {}; draining", signo == SIGTERM ? "SIGTERM" : "SIGINT");
      stop_webhooks();
      sender->drain();
    });
    redis->connect([&](std::exception_ptr error) {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          failure = e.what();
        }
        ok = false;
        signals.cancel();
        stop_webhooks();
        io.stop();
        return;
      }
      spdlog::info("serve {}: connected to Redis at {}", name, redis->endpoint().describe());
      sender->start([&](bool stopped_ok) {
        ok = stopped_ok;
        if (!ok) failure = "lost the Redis connection";
        signals.cancel();
        stop_webhooks();
        redis->close();
      });
    });
    io.run();
    if (!ok) throw RedisIoError("serve stopped: " + failure);
  });
}

}  // namespace broadcaster::cli

// Shared start-up steps for commands.
#include "cli/context.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "util/errors.h"
#include "util/excerpt.h"

namespace broadcaster::cli {

void setup_logging(int verbosity, LogFormat format, const std::string& component) {
  auto logger = spdlog::stderr_color_mt("broadcaster");
  if (format == LogFormat::Json) {
    logger->set_formatter(json_log_formatter(component.empty() ? "broadcaster" : component));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(verbosity > 0 ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

config::Config load_configuration(const GlobalOptions& options) { return config::load_config(options.config_path); }

store::RedisEndpoint redis_endpoint(const config::Config& cfg) {
  store::RedisEndpoint endpoint;
  endpoint.host = cfg.redis.host;
  endpoint.port = cfg.redis.port;
  endpoint.db = cfg.redis.db;
  if (!cfg.redis.password_env.empty()) {
    const auto password = config::process_env(cfg.redis.password_env);
    if (!password) {
      throw ConfigError(cfg.file.string(), 0, 0,
                        "redis.password_env names " + cfg.redis.password_env + ", which is not set");
    }
    endpoint.password = *password;
  }
  return endpoint;
}

util::Address address_argument(const std::string& text, const config::Config& cfg) {
  std::string why;
  auto address = util::Address::parse(text, cfg.default_region, &why);
  if (!address) {
    // A mistyped email address is not quoted: excerpt() masks phone numbers only.
    const bool email = text.find('@') != std::string::npos;
    throw Error((email ? std::string("not an email address") : "'" + util::excerpt(text) + "' is not an address") +
                ": " + why);
  }
  return *address;
}

std::optional<std::string> subject_key(const config::Config& cfg) {
  if (cfg.subject_key_env.empty()) return std::nullopt;
  const auto key = config::process_env(cfg.subject_key_env);
  if (!key || key->size() < 16) {
    throw ConfigError(cfg.file.string(), 0, 0,
                      "subject_key_env names " + cfg.subject_key_env +
                          ", which is not set or shorter than 16 characters (use e.g. `openssl rand -hex 32`)");
  }
  return key;
}

}  // namespace broadcaster::cli

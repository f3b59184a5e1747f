// What most commands need first: the configuration and a Redis connection.
#pragma once

#include "cli/commands.h"
#include "cli/log_format.h"
#include "config/config.h"
#include "store/keys.h"
#include "store/redis_client.h"
#include "store/redis_endpoint.h"
#include "util/phone.h"

namespace broadcaster::cli {

/// Sets spdlog's level from -v (info by default, debug with -v) and sends
/// logs to standard error, keeping standard output for results: lines for
/// people, or with LogFormat::Json one JSON object per line naming
/// `component` (the command that runs, "serve").
void setup_logging(int verbosity, LogFormat format = LogFormat::Text, const std::string& component = {});

/// Loads the configuration named by --config. Throws ConfigError.
config::Config load_configuration(const GlobalOptions& options);

/// The Redis endpoint of `cfg`, with the password read from the environment
/// variable it names. Throws ConfigError if that variable is unset.
store::RedisEndpoint redis_endpoint(const config::Config& cfg);

/// The key of subject hashes from the variable `subject_key_env` names, or
/// nullopt when none is configured. Throws ConfigError if that variable is
/// unset or shorter than 16 bytes.
std::optional<std::string> subject_key(const config::Config& cfg);

/// An address given on the command line: a phone number (read with the
/// configured default region), an email address or telegram:<chat id>.
/// Throws Error saying why it is none of them.
util::Address address_argument(const std::string& text, const config::Config& cfg);

/// Key names under the configured prefix.
inline store::Keys keys_for(const config::Config& cfg) { return store::Keys(cfg.redis.prefix); }

}  // namespace broadcaster::cli

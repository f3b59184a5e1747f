// `status_page:` in broadcaster.yaml: where `serve` shows ops a live page of
// campaigns and processes, and which environment variable holds its token.
#pragma once

#include <string>

#include "config/yaml_reader.h"

namespace broadcaster::config {

/// The environment variable the token is read from unless `token_env` names
/// another.
inline constexpr const char* kDefaultStatusTokenEnv = "BROADCASTER_STATUS_TOKEN";

/// `status_page: {listen: "127.0.0.1:9465", token_env: BROADCASTER_STATUS_TOKEN}`.
/// Absent or listen empty: no status page (the default). The listen address
/// follows the rules of private_listen.h. The token itself never appears in
/// the file: `serve` reads it from `token_env` when it starts
/// (status/status_token.h).
struct StatusPageConfig {
  std::string listen;                          ///< "HOST:PORT"; empty: off
  std::string token_env = kDefaultStatusTokenEnv;  ///< where the access token is
};

/// Reads `status_page:`; throws ConfigError at the offending key (a
/// malformed address, a missing host, an empty or ill-formed token_env, a
/// `token:` written inline, an unknown key).
[[nodiscard]] StatusPageConfig read_status_page(YamlMap map);

}  // namespace broadcaster::config

// `metrics:` in broadcaster.yaml: where `serve` answers Prometheus scrapes.
#pragma once

#include <string>

#include "config/yaml_reader.h"

namespace broadcaster::config {

/// `metrics: {listen: "127.0.0.1:9464"}`. Absent or listen empty: no
/// /metrics endpoint (the default). The address follows the rules of
/// private_listen.h: it must name its host.
struct MetricsConfig {
  std::string listen;  ///< "HOST:PORT"; empty: off
};

/// Reads `metrics:`; throws ConfigError at the offending key (a malformed
/// address, a missing host, an unknown key).
[[nodiscard]] MetricsConfig read_metrics(YamlMap map);

}  // namespace broadcaster::config

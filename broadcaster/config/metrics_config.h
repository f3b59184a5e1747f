// `metrics:` in broadcaster.yaml: where `serve` answers Prometheus scrapes.
#pragma once

#include <string>

#include "config/yaml_reader.h"

namespace broadcaster::config {

/// `metrics: {listen: "127.0.0.1:9464"}`. Absent or listen empty: no
/// /metrics endpoint (the default). The address must name its host (an IP
/// address or localhost): every interface only when written as 0.0.0.0 or
/// [::], never by leaving the host out, since metrics name campaigns and
/// are not meant for the public side of a machine.
struct MetricsConfig {
  std::string listen;  ///< "HOST:PORT"; empty: off
};

/// Reads `metrics:`; throws ConfigError at the offending key (a malformed
/// address, a missing host, an unknown key).
[[nodiscard]] MetricsConfig read_metrics(YamlMap map);

}  // namespace broadcaster::config

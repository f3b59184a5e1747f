// Reading and checking `metrics:`.
#include "config/metrics_config.h"

#include "config/private_listen.h"

namespace broadcaster::config {

MetricsConfig read_metrics(YamlMap map) {
  MetricsConfig m;
  m.listen = read_private_listen(map, "metrics");
  map.finish();
  return m;
}

}  // namespace broadcaster::config

// Reading and checking `metrics:`.
#include "config/metrics_config.h"

#include "http/listen_address.h"
#include "util/errors.h"

namespace broadcaster::config {

MetricsConfig read_metrics(YamlMap map) {
  MetricsConfig m;
  m.listen = map.optional<std::string>("listen", "");
  if (!m.listen.empty()) {
    if (m.listen.front() == ':') {
      throw map.error("listen", "'listen' must name the host to listen on, e.g. \"127.0.0.1" + m.listen +
                                    "\" (write \"0.0.0.0" + m.listen + "\" to expose metrics on every interface)");
    }
    try {
      (void)http::parse_listen_address(m.listen);
    } catch (const ConfigError& e) {
      throw map.error("listen", e.message());
    }
  }
  map.finish();
  return m;
}

}  // namespace broadcaster::config

// Reading an ops-only listen address.
#include "config/private_listen.h"

#include "http/listen_address.h"
#include "util/errors.h"

namespace broadcaster::config {

std::string read_private_listen(YamlMap& map, const std::string& what) {
  std::string listen = map.optional<std::string>("listen", "");
  if (listen.empty()) return listen;
  if (listen.front() == ':') {
    throw map.error("listen", "'listen' must name the host to listen on, e.g. \"127.0.0.1" + listen +
                                  "\" (write \"0.0.0.0" + listen + "\" to expose " + what + " on every interface)");
  }
  try {
    (void)http::parse_listen_address(listen);
  } catch (const ConfigError& e) {
    throw map.error("listen", e.message());
  }
  return listen;
}

}  // namespace broadcaster::config

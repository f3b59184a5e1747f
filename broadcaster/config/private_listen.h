// A listen address for something only ops should reach (/metrics, the
// status page), as broadcaster.yaml writes it.
#pragma once

#include <string>

#include "config/yaml_reader.h"

namespace broadcaster::config {

/// Reads `listen` of `map` ("" when absent: off). The address must name its
/// host (an IP address or localhost): every interface only when written as
/// 0.0.0.0 or [::], never by leaving the host out, since what these
/// listeners show names campaigns and is not meant for the public side of a
/// machine. `what` says what would be exposed ("metrics", "the status
/// page"). Throws ConfigError at the key for a malformed address or a
/// missing host.
[[nodiscard]] std::string read_private_listen(YamlMap& map, const std::string& what);

}  // namespace broadcaster::config
